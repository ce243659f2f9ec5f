using Attune.Data;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// The private conversation between a therapist and a person: a <see cref="Conversation"/> sealed
/// under the relationship's key, live over the event stream, with a notice that carries no words
/// when the other's page is closed. Ending the relationship deletes it.
/// </summary>
public sealed class CareMessages(AttuneDb db, CareService care, EventHub hub, Infrastructure.Push.Notices notices, TimeProvider clock)
{
    public const int MaxChat = 4000, MaxChatMessages = 2000;
    public const string Kind = "care";
    public static readonly string MessageEvent = Conversation.MessageEventOf(Kind);

    private async Task<Conversation> ConversationAsync(CareRelationship c, string userId, CancellationToken ct) =>
        new(Kind, CareMessage.Table, c.Id, await care.SharedKeyAsync(c, userId, ct), [c.PersonId, c.TherapistId]);

    /// <summary>The conversation between a person and their therapist; null (404) for anyone else, or once it has ended.</summary>
    public async Task<CareConversation?> GetAsync(string userId, Guid careId, CancellationToken ct = default)
    {
        if (await care.ActiveOfAsync(userId, careId, ct) is not { } c) return null;
        var conversation = await ConversationAsync(c, userId, ct);
        var other = (await care.DtoAsync(c, userId, ct)).OtherName;
        var rows = await db.Set<CareMessage>().AsNoTracking().Where(m => m.CareId == careId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        return new CareConversation(careId, other, c.PersonId == userId ? "person" : "therapist", conversation.Read(rows, userId, _ => other));
    }

    public async Task<(MessageDto? Message, FieldErrors? Errors)> PostAsync(string userId, Guid careId, MessageInput input, CancellationToken ct = default)
    {
        if (await care.ActiveOfAsync(userId, careId, ct) is not { } c) return (null, null);
        var errors = new FieldErrors();
        var text = Conversation.Validate(input, MaxChat, errors);
        var last = await db.Set<CareMessage>().AsNoTracking().Where(m => m.CareId == careId).OrderByDescending(m => m.CreatedAt)
            .Select(m => new { m.AuthorId, m.CreatedAt }).FirstOrDefaultAsync(ct);
        if (!errors.Any && last is not null && await db.Set<CareMessage>().CountAsync(m => m.CareId == careId, ct) >= MaxChatMessages)
            errors.Add("text", $"This conversation has reached {MaxChatMessages} messages.");
        if (errors.Any) return (null, errors);
        var conversation = await ConversationAsync(c, userId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var message = new CareMessage { Id = Infrastructure.SequentialGuid.Next(), CareId = careId, AuthorId = userId, CreatedAt = now };
        var written = conversation.Write(message, text!);
        db.Add(message);
        await db.SaveChangesAsync(ct);
        conversation.Announce(hub);
        var other = c.PersonId == userId ? c.TherapistId : c.PersonId;
        // An email that says only "a message": when their page isn't open, and not for every line of a conversation in flow.
        if (!hub.IsConnected(other) && (last is null || last.AuthorId != userId || now - last.CreatedAt > TimeSpan.FromHours(1)))
        {
            notices.Send(new(other, "There is a new message for you.", $"/care/{careId}/messages", Urgent: false));
            await care.NotifyAsync(other, "You have a new message on Attune", "There is a new message for you. Sign in to read it.", $"/care/{careId}/messages", ct);
        }
        return (written, null);
    }
}
