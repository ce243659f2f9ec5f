using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Attune.Data;
using Attune.Infrastructure.Push;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// Attune's own secret, for what belongs to no single person: queued emails (with their reset
/// links), the references that stand for the two people of a care relationship, sign-in
/// throttles. One random key, kept in the database wrapped under the master key (re-wrapped on
/// rotation with the other app secrets), from which each use derives a key of its own (HKDF), so
/// a value made for one use means nothing in another. Without the master key, a copy of the
/// database cannot open or recompute any of them.
/// </summary>
public sealed class AppKeys(IServiceScopeFactory scopes, MasterKeyRing ring) : IDisposable
{
    public const string Name = "app-key";
    private const int NonceSize = 12, TagSize = 16;
    private readonly SemaphoreSlim _once = new(1, 1);
    private readonly ConcurrentDictionary<string, byte[]> _derived = new();
    private volatile byte[]? _root;

    /// <summary>Loads (or, on a new database, makes) the key. Startup calls it once; later uses find it in memory.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        if (_root is not null) return;
        await _once.WaitAsync(ct);
        try
        {
            if (_root is not null) return;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            var row = await db.Set<AppSecret>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == Name, ct);
            if (row is null)
            {
                var (version, wrapped) = ring.Wrap(RandomNumberGenerator.GetBytes(32), AppSecret.Context(Name));
                db.Add(new AppSecret { Name = Name, MasterKeyVersion = version, Value = wrapped });
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException) { db.ChangeTracker.Clear(); } // another node made it first: use theirs
                row = await db.Set<AppSecret>().AsNoTracking().FirstAsync(s => s.Name == Name, ct);
            }
            try
            {
                _root = ring.Unwrap(row.MasterKeyVersion, row.Value, AppSecret.Context(Name));
            }
            catch (CryptographicException e)
            {
                // A restored database started with another machine's (or a new) master key: say so plainly and stop.
                throw new InvalidOperationException("The master key does not open this database's keys. Start Attune with the master key this database was made with (Attune:MasterKeyFile); see docs/operations.md.", e);
            }
        }
        finally
        {
            _once.Release();
        }
    }

    /// <summary>The key for one use. Loads the root key first if startup has not (a command run outside the web host).</summary>
    private byte[] For(string purpose)
    {
        if (_root is null) LoadAsync().GetAwaiter().GetResult();
        return _derived.GetOrAdd(purpose, p => HKDF.DeriveKey(HashAlgorithmName.SHA256, _root!, 32, info: Encoding.UTF8.GetBytes("attune/v1/app/" + p)));
    }

    /// <summary>AES-256-GCM under the purpose's key, bound to <paramref name="context"/> (a row id, say).</summary>
    public byte[] Seal(string purpose, byte[] plaintext, string context) => Aead.Seal(For(purpose), plaintext, Encoding.UTF8.GetBytes(context));

    public byte[] Open(string purpose, byte[] sealedBytes, string context) => Aead.Open(For(purpose), sealedBytes, Encoding.UTF8.GetBytes(context));

    /// <summary>A keyed hash (HMAC-SHA-256, hex): the same value gives the same hash, and nobody without the key can compute it.</summary>
    public string Hash(string purpose, string value) =>
        Convert.ToHexString(HMACSHA256.HashData(For(purpose), Encoding.UTF8.GetBytes(value)));

    /// <summary>
    /// Deterministic encryption: the same value always gives the same token (so a column of tokens
    /// can be searched for equality and indexed), and only the key opens it. The nonce is a keyed
    /// hash of the value, so two different values never share one (a synthetic-IV construction).
    /// </summary>
    public string Token(string purpose, string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var output = new byte[NonceSize + plain.Length + TagSize];
        HMACSHA256.HashData(For(purpose + "/iv"), plain).AsSpan(0, NonceSize).CopyTo(output);
        using var gcm = new AesGcm(For(purpose + "/enc"), TagSize);
        gcm.Encrypt(output.AsSpan(0, NonceSize), plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(purpose));
        return Convert.ToBase64String(output).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The value a <see cref="Token"/> stands for; throws when the token was not made for this purpose with this key.</summary>
    public string OpenToken(string purpose, string token)
    {
        var bytes = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - token.Length % 4) % 4));
        if (bytes.Length < NonceSize + TagSize) throw new CryptographicException("This token is too short.");
        var plain = new byte[bytes.Length - NonceSize - TagSize];
        using var gcm = new AesGcm(For(purpose + "/enc"), TagSize);
        gcm.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, plain.Length), bytes.AsSpan(NonceSize + plain.Length), plain, Encoding.UTF8.GetBytes(purpose));
        if (!HMACSHA256.HashData(For(purpose + "/iv"), plain).AsSpan(0, NonceSize).SequenceEqual(bytes.AsSpan(0, NonceSize)))
            throw new CryptographicException("This token's nonce does not match its value.");
        return Encoding.UTF8.GetString(plain);
    }

    public void Dispose() => _once.Dispose();
}
