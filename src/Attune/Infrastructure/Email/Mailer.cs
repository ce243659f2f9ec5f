using System.Text.Json;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Attune.Infrastructure.Email;

/// <summary>
/// An email waiting to go (or recently gone). What it says, and to whom, is sealed under Attune's
/// app key (bound to the row), because an account email carries a live link; it is cleared once
/// sent, and the row itself goes after a day. Only a keyed hash of the address stays meanwhile,
/// to count emails per address.
/// </summary>
public sealed class MailOutbox
{
    public Guid Id { get; set; }
    /// <summary><see cref="MailKinds"/>: a ready message, or an account email to compose when it is sent.</summary>
    public string Kind { get; set; } = "";
    public string RecipientHash { get; set; } = "";
    /// <summary>Counts toward the per-address cap (an email anyone could cause to be sent to any address).</summary>
    public bool Capped { get; set; }
    public byte[]? Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<MailOutbox>
    {
        public void Configure(EntityTypeBuilder<MailOutbox> b)
        {
            b.ToTable("MailOutbox");
            b.HasKey(m => m.Id);
            b.Property(m => m.Kind).HasMaxLength(32);
            b.Property(m => m.RecipientHash).HasMaxLength(64);
            b.HasIndex(m => new { m.RecipientHash, m.CreatedAt });
            b.HasIndex(m => m.CreatedAt);
        }
    }
}

public static class MailKinds
{
    /// <summary>A ready message (subject and body written by the feature).</summary>
    public const string Message = "message";
    /// <summary>"Forgot password" from the pages (a link) or the API (a code); "send the confirmation again". The account is looked up when it is sent.</summary>
    public const string ResetLink = "reset-link", ResetCode = "reset-code", Confirm = "confirm";
}

/// <summary>
/// Queues email: every email Attune sends goes through here and leaves from the job worker's
/// mail lane, never from a request (so a slow or failing mail server delays nobody, and whether
/// an address has an account can't be told from how long a request took). The queue is the
/// <see cref="Job"/> table, so an email survives a restart; this node is woken to send it at once.
/// Emails anyone could trigger to any address (account emails, invitations) are capped per
/// address per hour; over the cap they are dropped quietly, with the same answer to the sender.
/// </summary>
public sealed class Mailer(IServiceScopeFactory scopes, AppKeys keys, JobRunner jobs, TimeProvider clock, IOptions<AttuneOptions> options, ILogger<Mailer> logger)
{
    public const string SendJob = "mail.send";
    internal const string Purpose = "mail-outbox", RecipientPurpose = "mail-recipient";

    /// <summary>What a queued email needs; <c>ReturnUrl</c> is where a confirmation link goes on to (an invitation, say). Sealed in the job row.</summary>
    internal sealed record Payload(string To, string? Subject, string? Body, string? ReturnUrl = null);

    /// <summary>Queues a ready message to someone a relationship already links to the sender (a supporter, a therapist).</summary>
    public Task SendAsync(string to, string subject, string body, CancellationToken ct = default) =>
        QueueAsync(MailKinds.Message, new Payload(to, subject, body), capped: false, ct);

    /// <summary>Queues a ready message anyone could cause to be sent to any address (an account email, an invitation): counted toward the per-address cap.</summary>
    public Task SendCappedAsync(string to, string subject, string body, CancellationToken ct = default) =>
        QueueAsync(MailKinds.Message, new Payload(to, subject, body), capped: true, ct);

    /// <summary>Queues an account email that is composed, or not, when it is sent: the same work here whether or not the address has an account.</summary>
    public Task QueueAccountEmailAsync(string kind, string email, CancellationToken ct = default) =>
        QueueAccountEmailAsync(kind, email, null, ct);

    /// <summary>As above, with where the confirmation link goes on to after confirming (a local address).</summary>
    public Task QueueAccountEmailAsync(string kind, string email, string? returnUrl, CancellationToken ct) =>
        QueueAsync(kind, new Payload(email, null, null, returnUrl), capped: true, ct);

    private async Task QueueAsync(string kind, Payload payload, bool capped, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = keys.Hash(RecipientPurpose, payload.To.Trim().ToUpperInvariant());
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        if (capped)
        {
            var since = now.AddHours(-1);
            var recent = await db.Set<MailOutbox>().CountAsync(m => m.RecipientHash == hash && m.CreatedAt >= since && m.Capped, ct);
            if (recent >= options.Value.EmailsPerAddressPerHour)
            {
                logger.LogWarning("An email was not sent: its address has had {Count} in the last hour", recent);
                return;
            }
        }
        var row = new MailOutbox { Id = SequentialGuid.Next(), Kind = kind, Capped = capped, RecipientHash = hash, CreatedAt = now };
        row.Payload = keys.Seal(Purpose, JsonSerializer.SerializeToUtf8Bytes(payload), row.Id.ToString());
        db.Add(row);
        db.Add(new Job { Id = SequentialGuid.Next(), Kind = SendJob, Subject = row.Id, DueAt = now });
        await db.SaveChangesAsync(ct);
        jobs.Wake();
    }
}
