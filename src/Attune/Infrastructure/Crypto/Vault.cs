using System.Security.Cryptography;
using System.Text;
using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// Per-person envelope encryption. Each person has a random 256-bit data key, stored only
/// wrapped by the master key. Every ciphertext is bound (AES-GCM associated data) to its owner,
/// table, row and field, so a ciphertext copied to another row, field or person fails to open.
/// Deleting the person's key row makes every ciphertext of theirs unreadable, backups included
/// once the key file or configuration no longer opens old backups' wrapped keys.
/// </summary>
public sealed class Vault(MasterKeyRing masterKeys, IMemoryCache cache)
{
    private const byte FormatVersion = 1;

    internal static string KeyContext(string userId) => $"attune/datakey/{userId}";

    private static string CacheKey(string userId) => "vault:" + userId;

    /// <summary>Creates the data key for a new person. The caller saves the returned row with the person.</summary>
    public PersonKey NewPersonKey(string userId, DateTime now)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var (version, wrapped) = masterKeys.Wrap(dataKey, KeyContext(userId));
        Remember(userId, dataKey);
        return new PersonKey { UserId = userId, WrappedKey = wrapped, MasterKeyVersion = version, CreatedAt = now };
    }

    public Task<Sealed> SealAsync(AttuneDb db, string ownerId, string table, string rowId, string field, string plaintext, CancellationToken ct = default) =>
        SealBytesAsync(db, ownerId, table, rowId, field, Encoding.UTF8.GetBytes(plaintext), ct);

    public async Task<Sealed> SealBytesAsync(AttuneDb db, string ownerId, string table, string rowId, string field, byte[] plaintext, CancellationToken ct = default)
    {
        var key = await DataKeyAsync(db, ownerId, ct);
        var body = Aead.Seal(key, plaintext, AssociatedData(ownerId, table, rowId, field));
        var bytes = new byte[body.Length + 1];
        bytes[0] = FormatVersion;
        body.CopyTo(bytes, 1);
        return new Sealed(bytes);
    }

    public async Task<string> OpenAsync(AttuneDb db, string ownerId, string table, string rowId, string field, Sealed value, CancellationToken ct = default) =>
        Encoding.UTF8.GetString(await OpenBytesAsync(db, ownerId, table, rowId, field, value, ct));

    public async Task<byte[]> OpenBytesAsync(AttuneDb db, string ownerId, string table, string rowId, string field, Sealed value, CancellationToken ct = default) =>
        Open(await DataKeyAsync(db, ownerId, ct), ownerId, table, rowId, field, value);

    private static byte[] Open(byte[] key, string ownerId, string table, string rowId, string field, Sealed value)
    {
        if (value.Bytes.Length == 0 || value.Bytes[0] != FormatVersion) throw new CryptographicException("Unknown ciphertext format.");
        return Aead.Open(key, value.Bytes.AsSpan(1), AssociatedData(ownerId, table, rowId, field));
    }

    /// <summary>
    /// Opens many values of one person's field at once (for search): the data key is fetched once,
    /// and the values are decrypted across the machine's cores.
    /// </summary>
    public async Task<string[]> OpenManyAsync(AttuneDb db, string ownerId, string table, string field, IReadOnlyList<(string RowId, Sealed Value)> items, CancellationToken ct = default)
    {
        if (items.Count == 0) return []; // nothing to open needs no key
        var key = await DataKeyAsync(db, ownerId, ct);
        var result = new string[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (rowId, value) = items[i];
            result[i] = Encoding.UTF8.GetString(Open(key, ownerId, table, rowId, field, value));
        });
        return result;
    }

    /// <summary>
    /// Seals under a key two people share (a circle relationship's pair key) rather than one
    /// person's data key. Bound to the relationship, table, row and field like any other value.
    /// </summary>
    public static Sealed SealWithPairKey(byte[] pairKey, Guid pairId, string table, string rowId, string field, string plaintext)
    {
        var body = Aead.Seal(pairKey, Encoding.UTF8.GetBytes(plaintext), PairData(pairId, table, rowId, field));
        var bytes = new byte[body.Length + 1];
        bytes[0] = FormatVersion;
        body.CopyTo(bytes, 1);
        return new Sealed(bytes);
    }

    public static string OpenWithPairKey(byte[] pairKey, Guid pairId, string table, string rowId, string field, Sealed value)
    {
        if (value.Bytes.Length == 0 || value.Bytes[0] != FormatVersion) throw new CryptographicException("Unknown ciphertext format.");
        return Encoding.UTF8.GetString(Aead.Open(pairKey, value.Bytes.AsSpan(1), PairData(pairId, table, rowId, field)));
    }

    private static byte[] PairData(Guid pairId, string table, string rowId, string field) =>
        Encoding.UTF8.GetBytes($"attune/v1/pair/{pairId}/{table}/{rowId}/{field}");

    /// <summary>Forgets a cached data key (after deletion or re-wrapping).</summary>
    public void Forget(string userId) => cache.Remove(CacheKey(userId));

    private static byte[] AssociatedData(string ownerId, string table, string rowId, string field) =>
        Encoding.UTF8.GetBytes($"attune/v1/{ownerId}/{table}/{rowId}/{field}");

    /// <summary>
    /// Fetches the data keys of several people in one query (those not already at hand), so a page
    /// that shows many people's own names (each sealed under its owner's key) makes one read, not one each.
    /// </summary>
    public async Task WarmAsync(AttuneDb db, IEnumerable<string> userIds, CancellationToken ct = default)
    {
        var missing = userIds.Distinct().Where(id => !cache.TryGetValue(CacheKey(id), out byte[]? _)).ToList();
        if (missing.Count == 0) return;
        foreach (var row in await db.PersonKeys.AsNoTracking().Where(k => missing.Contains(k.UserId)).ToListAsync(ct))
            Remember(row.UserId, masterKeys.Unwrap(row.MasterKeyVersion, row.WrappedKey, KeyContext(row.UserId)));
    }

    private async Task<byte[]> DataKeyAsync(AttuneDb db, string ownerId, CancellationToken ct)
    {
        if (cache.TryGetValue(CacheKey(ownerId), out byte[]? cached) && cached is not null) return cached;
        var row = db.PersonKeys.Local.FirstOrDefault(k => k.UserId == ownerId)
            ?? await db.PersonKeys.AsNoTracking().FirstOrDefaultAsync(k => k.UserId == ownerId, ct)
            ?? throw new CryptographicException("This person has no data key.");
        var key = masterKeys.Unwrap(row.MasterKeyVersion, row.WrappedKey, KeyContext(ownerId));
        Remember(ownerId, key);
        return key;
    }

    private void Remember(string userId, byte[] key) =>
        cache.Set(CacheKey(userId), key, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10), Size = 1 });
}
