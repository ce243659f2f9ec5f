using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// A shared key as one holder has opened it: the key of every epoch they hold. New content is
/// sealed under the newest of them (<see cref="Epoch"/>); each sealed value says which epoch sealed
/// it, so older content still opens with the older epoch's key, and content of an epoch the holder
/// does not hold (written after they were removed) does not open at all.
/// </summary>
/// <remarks>
/// Epoch 0 is the pair key a circle or care relationship made before keys had epochs: its values
/// keep the original format (version byte 1) and associated data, so everything written under it
/// reads exactly as before. Later epochs write version 2 with the epoch after the version byte.
/// Either way a value is bound to the key's id, table, row and field.
/// </remarks>
public sealed class SharedKey
{
    private const byte PairFormat = 1, EpochFormat = 2;
    private const int EpochSize = 4;
    private readonly IReadOnlyDictionary<int, byte[]> _keys;

    internal SharedKey(Guid id, IReadOnlyDictionary<int, byte[]> keys)
    {
        if (keys.Count == 0) throw new ArgumentException("A holder holds at least one epoch.", nameof(keys));
        Id = id;
        _keys = keys;
        Epoch = keys.Keys.Max();
        Epochs = [.. keys.Keys.Order()];
    }

    /// <summary>What the key belongs to (a circle relationship, a care relationship, a group).</summary>
    public Guid Id { get; }

    /// <summary>The newest epoch this holder holds: new content is sealed under it.</summary>
    public int Epoch { get; }

    /// <summary>The epochs this holder can open.</summary>
    public IReadOnlyList<int> Epochs { get; }

    public Sealed Seal(string table, string rowId, string field, string plaintext) =>
        SealBytes(table, rowId, field, Encoding.UTF8.GetBytes(plaintext));

    public Sealed SealBytes(string table, string rowId, string field, byte[] plaintext)
    {
        var key = _keys[Epoch];
        if (Epoch == 0)
        {
            var body = Aead.Seal(key, plaintext, PairData(Id, table, rowId, field));
            var bytes = new byte[1 + body.Length];
            bytes[0] = PairFormat;
            body.CopyTo(bytes, 1);
            return new Sealed(bytes);
        }
        var sealedBody = Aead.Seal(key, plaintext, EpochData(Id, Epoch, table, rowId, field));
        var output = new byte[1 + EpochSize + sealedBody.Length];
        output[0] = EpochFormat;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, EpochSize), Epoch);
        sealedBody.CopyTo(output, 1 + EpochSize);
        return new Sealed(output);
    }

    /// <summary>Opens a value sealed under this key; throws <see cref="CryptographicException"/> when it was sealed under an epoch this holder does not hold, another key, or for another place.</summary>
    public string Open(string table, string rowId, string field, Sealed value) =>
        Encoding.UTF8.GetString(OpenBytes(table, rowId, field, value));

    public byte[] OpenBytes(string table, string rowId, string field, Sealed value)
    {
        var epoch = EpochOf(value);
        if (!_keys.TryGetValue(epoch, out var key)) throw new CryptographicException("This was sealed under a key epoch this holder does not hold.");
        return epoch == 0
            ? Aead.Open(key, value.Bytes.AsSpan(1), PairData(Id, table, rowId, field))
            : Aead.Open(key, value.Bytes.AsSpan(1 + EpochSize), EpochData(Id, epoch, table, rowId, field));
    }

    /// <summary>The epoch a value was sealed under (0 for values written before epochs).</summary>
    public static int EpochOf(Sealed value) => value.Bytes switch
    {
        [PairFormat, ..] => 0,
        [EpochFormat, ..] when value.Bytes.Length > 1 + EpochSize => BinaryPrimitives.ReadInt32BigEndian(value.Bytes.AsSpan(1, EpochSize)),
        _ => throw new CryptographicException("Unknown ciphertext format."),
    };

    /// <summary>Epoch 0's key itself, for code that still seals with <see cref="Vault.SealWithPairKey"/>.</summary>
    internal byte[] EpochZero() => _keys.TryGetValue(0, out var key) ? key : throw new CryptographicException("This key has no epoch 0.");

    // The same associated data Vault.SealWithPairKey has always used, so epoch 0 is the old pair key unchanged.
    private static byte[] PairData(Guid id, string table, string rowId, string field) =>
        Encoding.UTF8.GetBytes($"attune/v1/pair/{id}/{table}/{rowId}/{field}");

    private static byte[] EpochData(Guid id, int epoch, string table, string rowId, string field) =>
        Encoding.UTF8.GetBytes($"attune/v2/shared/{id}/{epoch}/{table}/{rowId}/{field}");
}
