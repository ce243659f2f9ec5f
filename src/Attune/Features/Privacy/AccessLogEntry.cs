using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Privacy;

/// <summary>One read of a person's data by someone else (a supporter, a therapist). The owner can always see these.</summary>
public sealed class AccessLogEntry
{
    public const string Table = "access_log";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public DateTime At { get; set; }
    public string ActorId { get; set; } = "";
    public string Action { get; set; } = "read";
    public string ItemType { get; set; } = "";
    public string? ItemId { get; set; }
    /// <summary>
    /// The relationship the read came through when the reader is known there by another name than
    /// their account's (<c>group:{id}</c>); the log then names them as that relationship does
    /// (<see cref="IReaderNames"/>), never by their account.
    /// </summary>
    public string? Via { get; set; }
    /// <summary>Why, in the reader's words (e.g. a therapist's reason for opening a phase), sealed under the owner's key.</summary>
    public Sealed? Detail { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<AccessLogEntry>
    {
        public void Configure(EntityTypeBuilder<AccessLogEntry> b)
        {
            b.ToTable("AccessLog");
            b.HasKey(e => e.Id);
            b.Property(e => e.ActorId).HasMaxLength(64);
            b.Property(e => e.Action).HasMaxLength(32);
            b.Property(e => e.ItemType).HasMaxLength(32);
            b.Property(e => e.ItemId).HasMaxLength(64);
            b.Property(e => e.Via).HasMaxLength(64);
            b.HasIndex(e => new { e.OwnerId, e.At });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(e => e.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>
/// Names a reader as the relationship they read through knows them (<see cref="AccessLogEntry.Via"/>),
/// for a feature whose people don't see each other's account names (a group).
/// </summary>
public interface IReaderNames
{
    /// <summary>Whether this feature names readers that came through <paramref name="via"/>.</summary>
    bool Knows(string via);

    /// <summary><paramref name="actorId"/> as <paramref name="ownerId"/> knows them through <paramref name="via"/>; never their account's name.</summary>
    Task<string> NameAsync(string ownerId, string actorId, string via, CancellationToken ct);
}

/// <summary>Features call <see cref="RecordAsync"/> whenever someone other than the owner reads the owner's data.</summary>
public sealed class AccessLog(AttuneDb db, TimeProvider clock, IEnumerable<IReaderNames> readerNames)
{
    /// <param name="via">The relationship the read came through, when the reader is known there by another name than their account's (<see cref="AccessLogEntry.Via"/>).</param>
    public async Task RecordAsync(string ownerId, string actorId, string action, string itemType, string? itemId, string? detail = null, string? via = null, CancellationToken ct = default)
    {
        if (ownerId == actorId) return;
        var id = Infrastructure.SequentialGuid.Next();
        db.Set<AccessLogEntry>().Add(new AccessLogEntry
        {
            Id = id,
            Detail = detail is null ? null : await db.SealAsync(ownerId, AccessLogEntry.Table, id.ToString(), "detail", detail, ct),
            OwnerId = ownerId,
            ActorId = actorId,
            At = clock.GetUtcNow().UtcDateTime,
            Action = action,
            ItemType = itemType,
            ItemId = itemId,
            Via = via,
        });
        await db.SaveChangesAsync(ct);
    }

    public sealed record Row(DateTimeOffset At, string ActorId, string ActorName, string Action, string ItemType, string? ItemId, string? Detail);

    /// <summary>
    /// Newest first, with the reader's display name (or a plain note when they have left Attune);
    /// a reader who came through a group is named as the group knows them, never by their account.
    /// </summary>
    public async Task<(List<Row> Rows, string? Next)> ReadAsync(string ownerId, int limit, string? cursor, CancellationToken ct = default)
    {
        limit = Math.Clamp(limit, 1, 200);
        var query = db.Set<AccessLogEntry>().AsNoTracking().Where(e => e.OwnerId == ownerId);
        if (Cursor.TryParse(cursor, out var before)) query = query.Where(e => e.Id.CompareTo(before) < 0);
        var entries = await query.OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var actorIds = entries.Select(e => e.ActorId).Distinct().ToList();
        var actors = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id)).ToListAsync(ct);
        var names = new Dictionary<string, string>();
        foreach (var a in actors) names[a.Id] = await db.DisplayNameOrAsync(a, "Someone in your circle", ct);
        var rows = new List<Row>();
        var viaNames = new Dictionary<(string Via, string Actor), string>();
        async Task<string> NameAsync(AccessLogEntry e)
        {
            if (e.Via is not { } via) return names.GetValueOrDefault(e.ActorId, "Someone who has left Attune");
            if (viaNames.TryGetValue((via, e.ActorId), out var known)) return known;
            var namer = readerNames.FirstOrDefault(n => n.Knows(via));
            return viaNames[(via, e.ActorId)] = namer is null ? "Someone" : await namer.NameAsync(ownerId, e.ActorId, via, ct);
        }
        foreach (var e in entries.Take(limit))
            rows.Add(new Row(new DateTimeOffset(e.At), e.ActorId, await NameAsync(e), e.Action, e.ItemType, e.ItemId,
                e.Detail is null ? null : await db.OpenAsync(ownerId, AccessLogEntry.Table, e.Id.ToString(), "detail", e.Detail, ct)));
        return (rows, entries.Count > limit ? Cursor.Of(entries[limit - 1].Id) : null);
    }
}

/// <summary>Opaque list cursors over time-ordered (v7) ids.</summary>
public static class Cursor
{
    public static string Of(Guid id) => Convert.ToBase64String(id.ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryParse(string? cursor, out Guid id)
    {
        id = default;
        if (string.IsNullOrEmpty(cursor) || cursor.Length != 22) return false;
        try
        {
            id = new Guid(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/') + "=="));
            return true;
        }
        catch (FormatException) { return false; }
    }
}
