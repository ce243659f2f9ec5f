using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Privacy;

/// <summary>
/// One section of "download my data". Each feature that stores something a person owns or wrote
/// registers a section, so the export is complete by construction.
/// </summary>
public interface IExportSection
{
    string Name { get; }
    Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct);
}

internal sealed class AccountSection : IExportSection
{
    public string Name => "account";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var u = await db.Users.AsNoTracking().FirstAsync(x => x.Id == userId, ct);
        return new
        {
            u.Id,
            u.Email,
            DisplayName = await db.DisplayNameAsync(u, ct),
            u.TimeZone,
            u.Country,
            u.Theme,
            CreatedAt = new DateTimeOffset(u.CreatedAt),
            u.EmailConfirmed,
            u.TwoFactorEnabled,
        };
    }
}

internal sealed class SessionsSection : IExportSection
{
    public string Name => "sessions";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct) =>
        (await db.Set<UserSession>().AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.CreatedAt).ToListAsync(ct))
        .Select(s => new { s.Id, s.Kind, s.Client, CreatedAt = new DateTimeOffset(s.CreatedAt), LastSeenAt = new DateTimeOffset(s.LastSeenAt), EndedAt = s.EndedAt is { } e ? new DateTimeOffset(e) : (DateTimeOffset?)null });
}

internal sealed class SecurityEventsSection : IExportSection
{
    public string Name => "securityEvents";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct) =>
        (await db.AuditEvents.AsNoTracking().Where(e => e.ActorId == userId || e.ObjectId == userId).OrderBy(e => e.Id).ToListAsync(ct))
        .Select(e => new { At = new DateTimeOffset(e.At), e.Action, e.Outcome, e.ObjectType, e.ObjectId });
}

internal sealed class AccessLogSection : IExportSection
{
    public string Name => "accessLog";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var result = new List<object>();
        foreach (var e in await db.Set<AccessLogEntry>().AsNoTracking().Where(e => e.OwnerId == userId).OrderBy(e => e.Id).ToListAsync(ct))
            result.Add(new
            {
                At = new DateTimeOffset(e.At),
                e.ActorId,
                e.Action,
                e.ItemType,
                e.ItemId,
                Detail = e.Detail is null ? null : await db.OpenAsync(userId, AccessLogEntry.Table, e.Id.ToString(), "detail", e.Detail, ct)
            });
        return result;
    }
}

/// <summary>
/// A feature whose rows about a person are shared with others (a group) and so don't simply cascade
/// from the account: before the account goes, it takes the person out the way leaving would, so the
/// others are told and keep reading the rest.
/// </summary>
public interface IBeforeAccountDeletion
{
    Task BeforeDeleteAsync(string userId, CancellationToken ct);
}

public sealed class PersonalData(AttuneDb db, IEnumerable<IExportSection> sections, AuditLog audit, Sessions sessions, TimeProvider clock, WriteGate gate,
    IEnumerable<IPersonCache> caches, IEnumerable<IBeforeAccountDeletion> leaving)
{
    public async Task<Dictionary<string, object?>> ExportAsync(string userId, CancellationToken ct = default)
    {
        var document = new Dictionary<string, object?>
        {
            ["format"] = "attune-export/1",
            ["exportedAt"] = clock.GetUtcNow(),
        };
        foreach (var section in sections) document[section.Name] = await section.ReadAsync(db, userId, ct);
        await audit.RecordAsync(userId, AuditActions.Exported, "user", userId, ct: ct);
        return document;
    }

    /// <summary>
    /// Deletes the person and everything they own (features that share rows with others first take
    /// them out, <see cref="IBeforeAccountDeletion"/>; the rest cascades from the account row), their
    /// data key with it, and the security events about them; ends their sessions at once. On SQLite
    /// the write-ahead log is then checkpointed and truncated; secure_delete has zeroed the freed
    /// pages, so the file keeps none of their text or ciphertext.
    /// </summary>
    public async Task DeleteAsync(string userId, CancellationToken ct = default)
    {
        foreach (var feature in leaving) await feature.BeforeDeleteAsync(userId, ct);
        db.ChangeTracker.Clear();
        var sessionIds = await db.Set<UserSession>().Where(s => s.UserId == userId).Select(s => s.Id).ToListAsync(ct);
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.AuditEvents.Where(e => e.ActorId == userId || e.ObjectId == userId).ExecuteDeleteAsync(ct);
            await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        db.Vault.Forget(userId);
        foreach (var cache in caches) cache.Forget(userId);
        foreach (var id in sessionIds) sessions.Forget(id);
        // The id is random and now points at nothing: a record that a deletion happened, not of whom.
        await audit.RecordAsync(null, AuditActions.Deleted, "user", userId, ct: ct);
        if (db.Database.IsSqlite())
        {
            using (await gate.EnterAsync(ct))
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
        }
    }
}
