namespace Attune.Infrastructure.Email;

/// <summary>
/// Writes an email that was queued by address and kind only (a reset link, a confirmation), at the
/// moment it is sent, so the request that asked for it did the same work whether or not the address
/// has an account. Null means there is nothing to send. The account feature answers it.
/// </summary>
public interface IMailComposer
{
    Task<OutgoingMail?> ComposeAsync(string kind, string email, string? returnUrl, CancellationToken ct = default);
}
