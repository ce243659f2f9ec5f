using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// The key-encryption keys. They never live in the database: they come from configuration
/// (<c>Attune:MasterKey</c>) or from a 0600 key file created on first run. Each key has a
/// version number; the highest is current and wraps new data keys, older ones still unwrap.
/// </summary>
public sealed class MasterKeyRing
{
    private readonly Dictionary<int, byte[]> _keys;

    public MasterKeyRing(IReadOnlyDictionary<int, byte[]> keys, string? filePath)
    {
        if (keys.Count == 0) throw new InvalidOperationException("No master key is configured.");
        foreach (var (id, key) in keys)
        {
            if (key.Length != 32) throw new InvalidOperationException($"Master key {id} must be 32 bytes (AES-256).");
        }
        _keys = new Dictionary<int, byte[]>(keys);
        CurrentId = _keys.Keys.Max();
        FilePath = filePath;
    }

    public int CurrentId { get; private set; }

    /// <summary>The key file, when keys come from one (null when they come from configuration).</summary>
    public string? FilePath { get; }

    public IReadOnlyCollection<int> Versions => _keys.Keys;

    public static MasterKeyRing Load(IOptions<AttuneOptions> options)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.MasterKey)) return new MasterKeyRing(Parse(o.MasterKey), null);

        var path = Path.GetFullPath(o.MasterKeyFile ?? Path.Combine(o.ResolveDataDirectory(), "master.key"));
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var line = $"1:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}\n";
            // Created with owner-only permissions before any byte of the key is written.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(path, create))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(line);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
        }
        return new MasterKeyRing(Parse(File.ReadAllText(path)), path);
    }

    /// <summary>Entries are <c>version:base64</c>, separated by new lines, commas or semicolons. A lone base64 key is version 1.</summary>
    public static Dictionary<int, byte[]> Parse(string text)
    {
        var keys = new Dictionary<int, byte[]>();
        foreach (var raw in text.Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.StartsWith('#')) continue;
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            var id = colon > 0 ? int.Parse(raw[..colon], System.Globalization.CultureInfo.InvariantCulture) : 1;
            keys[id] = Convert.FromBase64String(colon > 0 ? raw[(colon + 1)..] : raw);
        }
        return keys;
    }

    /// <summary>Adds a new current key to the key file (file mode only) and returns its version.</summary>
    public int AddKeyToFile()
    {
        if (FilePath is null)
            throw new InvalidOperationException("Master keys come from configuration: add the new key there (version:base64) and run 'rewrap-keys'.");
        var id = CurrentId + 1;
        var key = RandomNumberGenerator.GetBytes(32);
        using (var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write($"{id}:{Convert.ToBase64String(key)}\n");
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        _keys[id] = key;
        CurrentId = id;
        return id;
    }

    /// <summary>Encrypts a small secret (a data key) under the current master key, bound to <paramref name="context"/>.</summary>
    public (int Version, byte[] Wrapped) Wrap(ReadOnlySpan<byte> secret, string context) =>
        (CurrentId, Aead.Seal(_keys[CurrentId], secret, Encoding.UTF8.GetBytes(context)));

    public byte[] Unwrap(int version, byte[] wrapped, string context)
    {
        if (!_keys.TryGetValue(version, out var key))
            throw new CryptographicException($"Master key version {version} is not configured.");
        return Aead.Open(key, wrapped, Encoding.UTF8.GetBytes(context));
    }
}

/// <summary>AES-256-GCM with a random 96-bit nonce. Layout: nonce (12) | ciphertext | tag (16).</summary>
internal static class Aead
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), associatedData);
        return output;
    }

    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData)
    {
        if (sealedBytes.Length < NonceSize + TagSize) throw new CryptographicException("Ciphertext is too short.");
        var length = sealedBytes.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var gcm = new AesGcm(key, TagSize);
        gcm.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, length), sealedBytes[(NonceSize + length)..], plaintext, associatedData);
        return plaintext;
    }
}
