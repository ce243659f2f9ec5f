using Attune.Data;
using Attune.Features.Circle;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// The private conversation between a therapist and a person: live over the event stream, sealed
/// under the relationship's pair key, with a notice that carries no words when the other's page
/// is closed. Ending the relationship deletes it.
/// </summary>
public sealed class CareMessages(AttuneDb db, CareService care, EventHub hub, Infrastructure.Push.Notices notices, TimeProvider clock)
{
    public const int MaxChat = 4000, MaxChatMessages = 2000;
    public const string MessageEvent = "care.message";

    /// <summary>The conversation between a person and their therapist; null (404) for anyone else, or once it has ended.</summary>
    public async Task<CareConversation?> GetAsync(string userId, Guid careId, CancellationToken ct = default)
    {
        if (await care.ActiveOfAsync(userId, careId, ct) is not { } c) return null;
        var key = await care.PairKeyAsync(c, userId, ct);
        var other = (await care.DtoAsync(c, userId, ct)).OtherName;
        var rows = await db.Set<CareMessage>().AsNoTracking().Where(m => m.CareId == careId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        return new CareConversation(careId, other, c.PersonId == userId ? "person" : "therapist", rows.Select(m => new ThreadMessageDto(m.Id, m.AuthorId == userId,
            m.AuthorId == userId ? "You" : other, Vault.OpenWithPairKey(key, c.Id, CareMessage.Table, m.Id.ToString(), "body", m.Body), new DateTimeOffset(m.CreatedAt))).ToList());
    }

    public async Task<(ThreadMessageDto? Message, FieldErrors? Errors)> PostAsync(string userId, Guid careId, ThreadMessageInput input, CancellationToken ct = default)
    {
        if (await care.ActiveOfAsync(userId, careId, ct) is not { } c) return (null, null);
        var errors = new FieldErrors();
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write something to send.");
        errors.MaxLength("text", text, MaxChat);
        var last = await db.Set<CareMessage>().AsNoTracking().Where(m => m.CareId == careId).OrderByDescending(m => m.CreatedAt)
            .Select(m => new { m.AuthorId, m.CreatedAt }).FirstOrDefaultAsync(ct);
        if (!errors.Any && last is not null && await db.Set<CareMessage>().CountAsync(m => m.CareId == careId, ct) >= MaxChatMessages)
            errors.Add("text", $"This conversation has reached {MaxChatMessages} messages.");
        if (errors.Any) return (null, errors);
        var now = clock.GetUtcNow().UtcDateTime;
        var message = new CareMessage { Id = Infrastructure.SequentialGuid.Next(), CareId = careId, AuthorId = userId, CreatedAt = now };
        message.Body = Vault.SealWithPairKey(await care.PairKeyAsync(c, userId, ct), c.Id, CareMessage.Table, message.Id.ToString(), "body", text!);
        db.Add(message);
        await db.SaveChangesAsync(ct);
        var other = c.PersonId == userId ? c.TherapistId : c.PersonId;
        hub.Publish(userId, MessageEvent, careId);
        hub.Publish(other, MessageEvent, careId);
        // An email that says only "a message": when their page isn't open, and not for every line of a conversation in flow.
        if (!hub.IsConnected(other) && (last is null || last.AuthorId != userId || now - last.CreatedAt > TimeSpan.FromHours(1)))
        {
            notices.Send(new(other, "There is a new message for you.", $"/care/{careId}/messages", Urgent: false));
            await care.NotifyAsync(other, "You have a new message on Attune", "There is a new message for you. Sign in to read it.", $"/care/{careId}/messages", ct);
        }
        return (new ThreadMessageDto(message.Id, true, "You", text!, new DateTimeOffset(now)), null);
    }
}
