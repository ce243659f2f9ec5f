using Attune.Data;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Circle;

/// <summary>
/// Circle conversations: a <see cref="Conversation"/> per reach and supporter, its messages sealed
/// under the relationship's key (<see cref="PairKeys"/>), open to the relationship's two people only.
/// </summary>
public sealed class Threads(AttuneDb db, PairKeys keys, EventHub hub, TimeProvider clock)
{
    public const int MaxMessage = 2000, MaxMessages = 500;
    public const string Kind = "thread";
    public static readonly string MessageEvent = Conversation.MessageEventOf(Kind), EndedEvent = Conversation.EndedEventOf(Kind);

    /// <summary>The conversation for a reach and one supporter, made if it isn't there yet.</summary>
    public async Task<Guid> OpenAsync(CircleMember member, Guid reachId, CancellationToken ct = default)
    {
        var existing = await db.Set<CircleThread>().AsNoTracking().Where(t => t.MemberId == member.Id && t.ReachId == reachId).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id) return id;
        var now = clock.GetUtcNow().UtcDateTime;
        var thread = new CircleThread { Id = Infrastructure.SequentialGuid.Next(), MemberId = member.Id, ReachId = reachId, CreatedAt = now, LastAt = now };
        db.Add(thread);
        await db.SaveChangesAsync(ct);
        db.Entry(thread).State = EntityState.Detached; // a first message may follow in the same request, touching only LastAt
        hub.Publish(member.OwnerId, MessageEvent, thread.Id);
        return thread.Id;
    }

    public Task<bool> HasMessagesAsync(Guid threadId, CancellationToken ct = default) => db.Set<ThreadMessage>().AnyAsync(m => m.ThreadId == threadId, ct);

    /// <summary>The thread and its relationship, for one of its two people; anyone else gets null.</summary>
    private async Task<(CircleThread Thread, CircleMember Member)?> FindAsync(string userId, Guid id, CancellationToken ct)
    {
        var found = await (from t in db.Set<CircleThread>().AsNoTracking()
                           join m in db.Set<CircleMember>().AsNoTracking().Where(CircleMember.Involving(userId)) on t.MemberId equals m.Id
                           where t.Id == id
                           select new { t, m }).FirstOrDefaultAsync(ct);
        return found is null ? null : (found.t, found.m);
    }

    private async Task<Conversation> ConversationAsync(CircleMember member, string userId, Guid id, CancellationToken ct) =>
        new(Kind, ThreadMessage.Table, id, await keys.OpenAsync(member, userId, ct), [member.OwnerId, member.SupporterId]);

    public async Task<ThreadDto?> GetAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (thread, member)) return null;
        var conversation = await ConversationAsync(member, userId, id, ct);
        var rows = await db.Set<ThreadMessage>().AsNoTracking().Where(m => m.ThreadId == id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        var other = await CircleService.OtherNameAsync(db, member, userId, ct);
        var messages = conversation.Read(rows, userId, _ => other);
        return new ThreadDto(thread.Id, member.Id, other, thread.ReachId, new DateTimeOffset(thread.CreatedAt), messages, member.OwnerId == userId ? "person" : "supporter");
    }

    public async Task<List<ThreadSummary>> ListAsync(string userId, CancellationToken ct = default)
    {
        var found = await (from t in db.Set<CircleThread>().AsNoTracking()
                           join m in db.Set<CircleMember>().AsNoTracking().Where(CircleMember.Involving(userId)) on t.MemberId equals m.Id
                           orderby t.LastAt descending
                           select new { t, m }).Take(100).ToListAsync(ct);
        var names = new Dictionary<Guid, string>(); // one name per relationship, however many conversations
        var list = new List<ThreadSummary>();
        foreach (var x in found)
        {
            if (!names.TryGetValue(x.m.Id, out var name)) names[x.m.Id] = name = await CircleService.OtherNameAsync(db, x.m, userId, ct);
            list.Add(new ThreadSummary(x.t.Id, name, x.t.ReachId, new DateTimeOffset(x.t.LastAt)));
        }
        return list;
    }

    public async Task<(MessageDto? Message, FieldErrors? Errors)> PostAsync(string userId, Guid id, MessageInput input, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (_, member)) return (null, null);
        var errors = new FieldErrors();
        var text = Conversation.Validate(input, MaxMessage, errors);
        if (!errors.Any && await db.Set<ThreadMessage>().CountAsync(m => m.ThreadId == id, ct) >= MaxMessages)
            errors.Add("text", $"This conversation has reached {MaxMessages} messages. Please start a new one with a new reach.");
        if (errors.Any) return (null, errors);
        var conversation = await ConversationAsync(member, userId, id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var message = new ThreadMessage { Id = Infrastructure.SequentialGuid.Next(), ThreadId = id, AuthorId = userId, CreatedAt = now };
        var written = conversation.Write(message, text!);
        db.Add(message);
        var touched = new CircleThread { Id = id };
        db.Attach(touched);
        touched.LastAt = now; // only this column is written, in the same save as the message
        await db.SaveChangesAsync(ct);
        db.Entry(touched).State = EntityState.Detached;
        conversation.Announce(hub);
        return (written, null);
    }

    /// <summary>Either person closes the conversation: it is deleted for both, with every message.</summary>
    public async Task<bool> CloseAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (thread, member)) return false;
        db.Remove(new CircleThread { Id = thread.Id });
        await db.SaveChangesAsync(ct);
        Conversation.AnnounceEnded(hub, Kind, id, [member.OwnerId, member.SupporterId]);
        return true;
    }
}
