using System.Text.Json;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Email;

/// <summary>
/// The mail lane's job: opens one queued email, composes it if it is an account email asked for
/// by address, hands it to the <see cref="IMailSender"/>, then clears what it said. A sending
/// failure throws, and the job worker tries again later. Old rows go after a day.
/// </summary>
public sealed class MailDelivery(AttuneDb db, AppKeys keys, IMailSender sender, IMailComposer composer, WriteGate gate, TimeProvider clock) : IJobHandler
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    public async Task<DateTime?> RunAsync(Guid subject, CancellationToken ct = default)
    {
        var row = await db.Set<MailOutbox>().FirstOrDefaultAsync(m => m.Id == subject, ct);
        if (row?.Payload is not { } sealedPayload) return null;
        var payload = JsonSerializer.Deserialize<Mailer.Payload>(keys.Open(Mailer.Purpose, sealedPayload, row.Id.ToString()))!;
        var mail = row.Kind == MailKinds.Message
            ? new OutgoingMail(payload.To, payload.Subject!, payload.Body!)
            : await composer.ComposeAsync(row.Kind, payload.To, payload.ReturnUrl, ct);
        if (mail is not null) await sender.SendAsync(mail, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        row.Payload = null;
        row.SentAt = now;
        await db.SaveChangesAsync(ct);
        var old = now - KeepFor;
        using (await gate.EnterAsync(ct))
            await db.Set<MailOutbox>().Where(m => m.CreatedAt < old).ExecuteDeleteAsync(ct);
        return null;
    }
}
