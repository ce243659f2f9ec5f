using System.Security.Cryptography;
using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// Keys that several people hold: one random key per epoch, kept as one copy per holder sealed
/// under that holder's data key (<see cref="SharedKeyCopy"/>). A holder opens their copies with
/// their own key; someone who holds no copy opens nothing. Removing a holder deletes their copies
/// and rotates to a new epoch for those who remain, so nothing written after the removal opens
/// for them, even with a key they kept from before. Nothing already written is re-encrypted.
/// </summary>
/// <remarks>
/// A circle or care relationship keeps its two epoch-0 copies on its own row, as it always has
/// (<see cref="NewPairAsync"/>, <see cref="OpenPairAsync"/>); ending the relationship deletes the
/// row and with it every way to open what the two wrote.
/// </remarks>
public sealed class SharedKeys(AttuneDb db, WriteGate gate, TimeProvider clock)
{
    private const string CopyField = "key", PairField = "pairkey";
    private const int Attempts = 5;

    // ---- N holders ----

    /// <summary>Makes the key <paramref name="keyId"/> at epoch 1, held by <paramref name="holders"/>.</summary>
    public async Task<SharedKey> CreateAsync(Guid keyId, IEnumerable<string> holders, CancellationToken ct = default)
    {
        var fresh = RandomNumberGenerator.GetBytes(32);
        var added = new List<object> { new SharedKeyEpoch { KeyId = keyId, Epoch = 1, CreatedAt = Now } };
        foreach (var holder in holders.Distinct()) added.Add(await CopyAsync(keyId, 1, holder, fresh, ct));
        await SaveAsync(added, ct);
        return new SharedKey(keyId, new Dictionary<int, byte[]> { [1] = fresh });
    }

    /// <summary>The key as <paramref name="holderId"/> holds it (every epoch they hold); null when they hold none.</summary>
    public async Task<SharedKey?> OpenAsync(Guid keyId, string holderId, CancellationToken ct = default)
    {
        var keys = await HeldAsync(keyId, holderId, ct);
        return keys.Count == 0 ? null : new SharedKey(keyId, keys);
    }

    /// <summary>The newest epoch, or null when there is no such key.</summary>
    public Task<int?> CurrentEpochAsync(Guid keyId, CancellationToken ct = default) =>
        db.Set<SharedKeyEpoch>().Where(e => e.KeyId == keyId).MaxAsync(e => (int?)e.Epoch, ct);

    /// <summary>Who holds the newest epoch, in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> HoldersAsync(Guid keyId, CancellationToken ct = default) =>
        await CurrentEpochAsync(keyId, ct) is { } epoch
            ? (await db.Set<SharedKeyCopy>().Where(c => c.KeyId == keyId && c.Epoch == epoch).Select(c => c.HolderId).ToListAsync(ct)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>
    /// Gives <paramref name="holderId"/> a copy of the newest epoch, and of every earlier one when
    /// <paramref name="withHistory"/> (so they can read what was written before they came).
    /// Nothing happens for epochs they already hold.
    /// </summary>
    public async Task AddHolderAsync(Guid keyId, string holderId, bool withHistory = false, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var added = new List<object>();
            try
            {
                using (await gate.EnterAsync(ct))
                {
                    // Held like a rotation, so a rotation at the same time either sees this holder or waits and is seen.
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    await HoldEpochsAsync(keyId, ct);
                    var current = await CurrentEpochAsync(keyId, ct) ?? throw new InvalidOperationException("There is no such shared key.");
                    var held = await db.Set<SharedKeyCopy>().Where(c => c.KeyId == keyId && c.HolderId == holderId).Select(c => c.Epoch).ToListAsync(ct);
                    var wanted = withHistory
                        ? await db.Set<SharedKeyEpoch>().Where(e => e.KeyId == keyId && !held.Contains(e.Epoch)).Select(e => e.Epoch).ToListAsync(ct)
                        : held.Contains(current) ? [] : [current];
                    foreach (var epoch in wanted)
                    {
                        // Any holder's copy opens the epoch's key; an epoch nobody holds any more stays closed.
                        var other = await db.Set<SharedKeyCopy>().AsNoTracking().FirstOrDefaultAsync(c => c.KeyId == keyId && c.Epoch == epoch, ct);
                        if (other is null) continue;
                        var key = await db.OpenBytesAsync(other.HolderId, SharedKeyCopy.Table, SharedKeyCopy.RowId(keyId, epoch), CopyField, other.Copy, ct);
                        added.Add(await CopyAsync(keyId, epoch, holderId, key, ct));
                    }
                    if (added.Count == 0) return;
                    db.AddRange(added);
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                    return;
                }
            }
            // The same holder added at once from elsewhere: look again.
            catch (DbUpdateException) when (attempt < Attempts) { }
            finally
            {
                foreach (var entity in added) db.Entry(entity).State = EntityState.Detached;
            }
        }
    }

    /// <summary>
    /// Removes a holder: their copies of every epoch go, and the key moves to a new epoch held by
    /// the others. Returns the new epoch.
    /// </summary>
    public Task<int> RemoveHolderAsync(Guid keyId, string holderId, CancellationToken ct = default) => NextEpochAsync(keyId, holderId, ct);

    /// <summary>Moves the key to a new epoch for its current holders; new content is sealed under it. Returns the new epoch.</summary>
    public Task<int> RotateAsync(Guid keyId, CancellationToken ct = default) => NextEpochAsync(keyId, null, ct);

    /// <summary>Deletes every epoch and copy: nothing sealed under the key opens again.</summary>
    public Task DeleteAsync(Guid keyId, CancellationToken ct = default) =>
        Gated(() => db.Set<SharedKeyEpoch>().Where(e => e.KeyId == keyId).ExecuteDeleteAsync(ct), ct);

    private async Task<int> NextEpochAsync(Guid keyId, string? removed, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var added = new List<object>();
            try
            {
                using (await gate.EnterAsync(ct))
                {
                    // One transaction: the removal and the new epoch without them land together or not at all.
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    await HoldEpochsAsync(keyId, ct);
                    if (removed is not null)
                        await db.Set<SharedKeyCopy>().Where(c => c.KeyId == keyId && c.HolderId == removed).ExecuteDeleteAsync(ct);
                    var current = await CurrentEpochAsync(keyId, ct) ?? throw new InvalidOperationException("There is no such shared key.");
                    var holders = await db.Set<SharedKeyCopy>().Where(c => c.KeyId == keyId && c.Epoch == current).Select(c => c.HolderId).ToListAsync(ct);
                    var next = current + 1;
                    var fresh = RandomNumberGenerator.GetBytes(32);
                    added.Add(new SharedKeyEpoch { KeyId = keyId, Epoch = next, CreatedAt = Now });
                    foreach (var holder in holders) added.Add(await CopyAsync(keyId, next, holder, fresh, ct));
                    db.AddRange(added);
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                    return next;
                }
            }
            // Another rotation made this epoch first (its primary key): start again from the newest.
            catch (DbUpdateException) when (attempt < Attempts) { }
            finally
            {
                foreach (var entity in added) db.Entry(entity).State = EntityState.Detached;
            }
        }
    }

    // ---- pairs: epoch 0 on the relationship's row ----

    /// <summary>
    /// A new key for two people whose copies live on their relationship's row (<paramref name="table"/>,
    /// <paramref name="id"/>): the key, and the copy to store for each.
    /// </summary>
    public async Task<(SharedKey Key, Sealed First, Sealed Second)> NewPairAsync(string table, Guid id, string first, string second, CancellationToken ct = default)
    {
        var fresh = RandomNumberGenerator.GetBytes(32);
        var forFirst = await db.SealBytesAsync(first, table, id.ToString(), PairField, fresh, ct);
        var forSecond = await db.SealBytesAsync(second, table, id.ToString(), PairField, fresh, ct);
        return (new SharedKey(id, new Dictionary<int, byte[]> { [0] = fresh }), forFirst, forSecond);
    }

    /// <summary>A relationship's key as one of its two people opens it: epoch 0 from their copy on the row, and any later epochs they hold.</summary>
    public async Task<SharedKey> OpenPairAsync(string table, Guid id, string holderId, Sealed copy, CancellationToken ct = default)
    {
        var keys = await HeldAsync(id, holderId, ct);
        keys[0] = await db.OpenBytesAsync(holderId, table, id.ToString(), PairField, copy, ct);
        return new SharedKey(id, keys);
    }

    // ---- helpers ----

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// The gate holds this process only. On PostgreSQL another connection may be moving the same key:
    /// lock its epoch rows first, so one waits for the other and everything read after the wait sees what
    /// the other committed. (Without it, a rotation committed between a removal and its read of the
    /// holders handed the removed holder the new epoch.) Call inside a transaction.
    /// </summary>
    private async Task HoldEpochsAsync(Guid keyId, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
            // NO KEY UPDATE: it makes two of these take turns, yet leaves alone the key-share locks that inserting
            // a copy (its foreign key to the epoch) takes; in epoch order, so two never wait on each other.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"SharedKeyEpochs\" WHERE \"KeyId\" = {keyId} ORDER BY \"Epoch\" FOR NO KEY UPDATE", ct);
    }

    private async Task<Dictionary<int, byte[]>> HeldAsync(Guid keyId, string holderId, CancellationToken ct)
    {
        var rows = new List<HeldCopy>();
        await foreach (var row in HeldQuery(db)(db, keyId, holderId).WithCancellation(ct)) rows.Add(row);
        var keys = new Dictionary<int, byte[]>();
        foreach (var row in rows)
            keys[row.Epoch] = await db.OpenBytesAsync(holderId, SharedKeyCopy.Table, SharedKeyCopy.RowId(keyId, row.Epoch), CopyField, row.Copy, ct);
        return keys;
    }

    private sealed record HeldCopy(int Epoch, Sealed Copy);

    // Compiled once per database engine: every group room event and read opens the person's hold of the
    // group's key. EF keeps a compiled query's executor from the first context that runs it, so one
    // process hosting SQLite and PostgreSQL (the tests do) needs one per engine.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<AttuneDb, Guid, string, IAsyncEnumerable<HeldCopy>>> HeldQueries = new();

    private static Func<AttuneDb, Guid, string, IAsyncEnumerable<HeldCopy>> HeldQuery(AttuneDb db) => HeldQueries.GetOrAdd(db.Database.ProviderName ?? "", _ => EF.CompileAsyncQuery(
        (AttuneDb db, Guid keyId, string holderId) => db.Set<SharedKeyCopy>().Where(c => c.KeyId == keyId && c.HolderId == holderId)
            .Select(c => new HeldCopy(c.Epoch, c.Copy))));

    private async Task<SharedKeyCopy> CopyAsync(Guid keyId, int epoch, string holderId, byte[] key, CancellationToken ct) => new()
    {
        KeyId = keyId,
        Epoch = epoch,
        HolderId = holderId,
        Copy = await db.SealBytesAsync(holderId, SharedKeyCopy.Table, SharedKeyCopy.RowId(keyId, epoch), CopyField, key, ct),
        CreatedAt = Now,
    };

    /// <summary>Saves the new rows, then stops tracking them: the caller's context goes on with its own work.</summary>
    private async Task SaveAsync(List<object> added, CancellationToken ct)
    {
        db.AddRange(added);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            foreach (var entity in added) db.Entry(entity).State = EntityState.Detached;
        }
    }

    private async Task Gated(Func<Task<int>> work, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct)) await work();
    }
}
