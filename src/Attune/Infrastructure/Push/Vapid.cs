using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Attune.Infrastructure.Push;

/// <summary>
/// VAPID (RFC 8292): the application server identifies itself to push services with a short-lived
/// ES256 JWT signed by its own P-256 key, sent as <c>Authorization: vapid t=…, k=…</c>.
/// </summary>
public sealed class Vapid(ECDsa key, string subject)
{
    /// <summary>The public key as browsers want it for <c>applicationServerKey</c>: base64url of the uncompressed point.</summary>
    public string PublicKey { get; } = WebPushCrypto.Base64Url([4, .. key.ExportParameters(false).Q.X!, .. key.ExportParameters(false).Q.Y!]);

    /// <summary>The Authorization header value for a push to <paramref name="endpoint"/>, valid for 12 hours.</summary>
    public string Authorization(Uri endpoint, DateTimeOffset now)
    {
        var header = WebPushCrypto.Base64Url("""{"typ":"JWT","alg":"ES256"}"""u8);
        var claims = WebPushCrypto.Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = endpoint.GetLeftPart(UriPartial.Authority),
            ["exp"] = now.AddHours(12).ToUnixTimeSeconds(),
            ["sub"] = subject,
        }));
        var signed = header + "." + claims;
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"vapid t={signed}.{WebPushCrypto.Base64Url(signature)}, k={PublicKey}";
    }
}
