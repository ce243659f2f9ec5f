using Attune.Data;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// A small live conversation between a person and one of their supporters, opened when the
/// supporter answers a reach with "I'm here". It belongs to the relationship: its messages are
/// sealed under the relationship's pair key, and it goes when the relationship ends, when either
/// account is deleted, or when either of the two closes it.
/// </summary>
public sealed class CircleThread
{
    public const string Table = "circle_threads";

    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Guid? ReachId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CircleThread>
    {
        public void Configure(EntityTypeBuilder<CircleThread> b)
        {
            b.ToTable("CircleThreads");
            b.HasKey(t => t.Id);
            b.HasIndex(t => new { t.MemberId, t.ReachId }).IsUnique();
            b.HasOne<CircleMember>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public sealed class ThreadMessage
{
    public const string Table = "thread_messages";

    public Guid Id { get; set; }
    public Guid ThreadId { get; set; }
    public string AuthorId { get; set; } = "";
    /// <summary>Sealed under the relationship's pair key.</summary>
    public Sealed Body { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<ThreadMessage>
    {
        public void Configure(EntityTypeBuilder<ThreadMessage> b)
        {
            b.ToTable("ThreadMessages");
            b.HasKey(m => m.Id);
            b.Property(m => m.AuthorId).HasMaxLength(64);
            b.HasIndex(m => new { m.ThreadId, m.CreatedAt });
            b.HasOne<CircleThread>().WithMany().HasForeignKey(m => m.ThreadId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public sealed record ThreadMessageInput(string? Text);

public sealed record ThreadMessageDto(Guid Id, bool Mine, string Author, string Text, DateTimeOffset At);

/// <summary>A conversation. <c>role</c>: <c>person</c> (it was my reach) or <c>supporter</c> (I said "I'm here").</summary>
public sealed record ThreadDto(Guid Id, Guid MemberId, string With, Guid? ReachId, DateTimeOffset CreatedAt, IReadOnlyList<ThreadMessageDto> Messages, string Role = "person");

public sealed record ThreadSummary(Guid Id, string With, Guid? ReachId, DateTimeOffset LastAt);

public sealed class Threads(AttuneDb db, PairKeys keys, EventHub hub, TimeProvider clock)
{
    public const int MaxMessage = 2000, MaxMessages = 500;
    public const string MessageEvent = "thread.message", EndedEvent = "thread.ended";

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
                           join m in db.Set<CircleMember>().AsNoTracking() on t.MemberId equals m.Id
                           where t.Id == id && (m.OwnerId == userId || m.SupporterId == userId)
                           select new { t, m }).FirstOrDefaultAsync(ct);
        return found is null ? null : (found.t, found.m);
    }

    public async Task<ThreadDto?> GetAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (thread, member)) return null;
        var key = await keys.ForAsync(member, userId, ct);
        var rows = await db.Set<ThreadMessage>().AsNoTracking().Where(m => m.ThreadId == id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        var other = await CircleService.OtherNameAsync(db, member, userId, ct);
        var messages = rows.Select(m => new ThreadMessageDto(m.Id, m.AuthorId == userId, m.AuthorId == userId ? "You" : other,
            Vault.OpenWithPairKey(key, member.Id, ThreadMessage.Table, m.Id.ToString(), "body", m.Body), new DateTimeOffset(m.CreatedAt))).ToList();
        return new ThreadDto(thread.Id, member.Id, other, thread.ReachId, new DateTimeOffset(thread.CreatedAt), messages, member.OwnerId == userId ? "person" : "supporter");
    }

    public async Task<List<ThreadSummary>> ListAsync(string userId, CancellationToken ct = default)
    {
        var found = await (from t in db.Set<CircleThread>().AsNoTracking()
                           join m in db.Set<CircleMember>().AsNoTracking() on t.MemberId equals m.Id
                           where m.OwnerId == userId || m.SupporterId == userId
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

    public async Task<(ThreadMessageDto? Message, FieldErrors? Errors)> PostAsync(string userId, Guid id, ThreadMessageInput input, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (_, member)) return (null, null);
        var errors = new FieldErrors();
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write something to send.");
        errors.MaxLength("text", text, MaxMessage);
        if (!errors.Any && await db.Set<ThreadMessage>().CountAsync(m => m.ThreadId == id, ct) >= MaxMessages)
            errors.Add("text", $"This conversation has reached {MaxMessages} messages. Please start a new one with a new reach.");
        if (errors.Any) return (null, errors);
        var key = await keys.ForAsync(member, userId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var message = new ThreadMessage { Id = Infrastructure.SequentialGuid.Next(), ThreadId = id, AuthorId = userId, CreatedAt = now };
        message.Body = Vault.SealWithPairKey(key, member.Id, ThreadMessage.Table, message.Id.ToString(), "body", text!);
        db.Add(message);
        var touched = new CircleThread { Id = id };
        db.Attach(touched);
        touched.LastAt = now; // only this column is written, in the same save as the message
        await db.SaveChangesAsync(ct);
        db.Entry(touched).State = EntityState.Detached;
        hub.Publish(member.OwnerId, MessageEvent, id);
        hub.Publish(member.SupporterId, MessageEvent, id);
        return (new ThreadMessageDto(message.Id, true, "You", text!, new DateTimeOffset(now)), null);
    }

    /// <summary>Either person closes the conversation: it is deleted for both, with every message.</summary>
    public async Task<bool> CloseAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (thread, member)) return false;
        db.Remove(new CircleThread { Id = thread.Id });
        await db.SaveChangesAsync(ct);
        hub.Publish(member.OwnerId, EndedEvent, id);
        hub.Publish(member.SupporterId, EndedEvent, id);
        return true;
    }
}
