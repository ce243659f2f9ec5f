using Attune.Data;
using Attune.Infrastructure.Email;
using Microsoft.AspNetCore.Identity;

namespace Attune.Features.Account;

/// <summary>The mail queue's account emails, written when they are sent (see <see cref="AccountEmails.ComposeAsync"/>).</summary>
public sealed class AccountMailComposer(AccountEmails emails, UserManager<AttuneUser> users) : IMailComposer
{
    public Task<OutgoingMail?> ComposeAsync(string kind, string email, string? returnUrl, CancellationToken ct = default) =>
        emails.ComposeAsync(users, kind, email, returnUrl);
}
