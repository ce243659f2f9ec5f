using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Attune.Infrastructure.Push;

/// <summary>
/// Web Push message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188), one record,
/// on System.Security.Cryptography only: ECDH on P-256 with the browser's subscription key, HKDF
/// with the subscription's auth secret, AES-128-GCM. Checked against RFC 8291's own example.
/// </summary>
public static class WebPushCrypto
{
    public const int DefaultRecordSize = 4096;
    private const int SaltLength = 16, TagLength = 16, PointLength = 65;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for a subscription (<paramref name="uaPublic"/>: the
    /// 65-byte uncompressed P-256 point, <paramref name="authSecret"/>: 16 bytes). A fresh sender
    /// key and salt are made unless given (the RFC's example gives them).
    /// </summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] uaPublic, byte[] authSecret, ECDiffieHellman? senderKey = null, byte[]? salt = null, int padTo = 0)
    {
        if (uaPublic.Length != PointLength || uaPublic[0] != 4) throw new ArgumentException("The subscription key must be an uncompressed P-256 point.", nameof(uaPublic));
        if (authSecret.Length != 16) throw new ArgumentException("The auth secret must be 16 bytes.", nameof(authSecret));
        var recordLength = Math.Max(plaintext.Length + 1, padTo);
        if (recordLength + TagLength > DefaultRecordSize) throw new ArgumentException("A push message must fit in one 4096-byte record.", nameof(plaintext));
        using var own = senderKey is null ? ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256) : null;
        var sender = senderKey ?? own!;
        salt ??= RandomNumberGenerator.GetBytes(SaltLength);
        var asPublic = PublicPoint(sender);
        var (cek, nonce) = Keys(sender, uaPublic, uaPublic, asPublic, authSecret, salt);

        var record = new byte[recordLength];
        plaintext.CopyTo(record);
        record[plaintext.Length] = 2; // the last (and only) record; the rest stays zero padding
        var body = new byte[SaltLength + 4 + 1 + PointLength + recordLength + TagLength];
        salt.CopyTo(body, 0);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(SaltLength, 4), DefaultRecordSize);
        body[SaltLength + 4] = PointLength;
        asPublic.CopyTo(body, SaltLength + 5);
        var header = SaltLength + 5 + PointLength;
        using var gcm = new AesGcm(cek, TagLength);
        gcm.Encrypt(nonce, record, body.AsSpan(header, recordLength), body.AsSpan(header + recordLength, TagLength));
        return body;
    }

    /// <summary>What a browser does with a push message: used by the tests and the local fake push service.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> body, ECDiffieHellman uaKey, byte[] authSecret)
    {
        var salt = body[..SaltLength].ToArray();
        var idLength = body[SaltLength + 4];
        if (idLength != PointLength) throw new CryptographicException("Unexpected key id length.");
        var asPublic = body.Slice(SaltLength + 5, PointLength).ToArray();
        var uaPublic = PublicPoint(uaKey);
        var (cek, nonce) = Keys(uaKey, asPublic, uaPublic, asPublic, authSecret, salt);
        var header = SaltLength + 5 + PointLength;
        var cipher = body[header..^TagLength];
        var record = new byte[cipher.Length];
        using var gcm = new AesGcm(cek, TagLength);
        gcm.Decrypt(nonce, cipher, body[^TagLength..], record);
        var end = Array.LastIndexOf(record, (byte)2);
        if (end < 0 || record.AsSpan(end + 1).ContainsAnyExcept((byte)0)) throw new CryptographicException("Bad padding.");
        return record[..end];
    }

    /// <summary>RFC 8291 section 3.4 and RFC 8188 section 2.2: the content encryption key and nonce.</summary>
    private static (byte[] Cek, byte[] Nonce) Keys(ECDiffieHellman own, byte[] otherPublic, byte[] uaPublic, byte[] asPublic, byte[] authSecret, byte[] salt)
    {
        using var other = ImportPublic(otherPublic);
        var ecdh = own.DeriveRawSecretAgreement(other.PublicKey);
        var keyInfo = Concat("WebPush: info\0"u8, uaPublic, asPublic);
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdh, 32, authSecret, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
        return (cek, nonce);
    }

    public static byte[] PublicPoint(ECDiffieHellman key)
    {
        var p = key.ExportParameters(false).Q;
        return Concat([4], p.X!, p.Y!);
    }

    public static ECDiffieHellman ImportPublic(byte[] point) => ECDiffieHellman.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = point[1..33], Y = point[33..65] },
    });

    /// <summary>A P-256 key from its private scalar and public point (as the RFC's example gives them).</summary>
    public static ECDiffieHellman ImportPrivate(byte[] d, byte[] point) => ECDiffieHellman.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = d,
        Q = new ECPoint { X = point[1..33], Y = point[33..65] },
    });

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var result = new byte[a.Length + b.Length + c.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        c.CopyTo(result.AsSpan(a.Length + b.Length));
        return result;
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}
