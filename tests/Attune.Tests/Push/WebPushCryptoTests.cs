using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attune.Infrastructure.Push;

namespace Attune.Tests.Push;

public sealed class WebPushCryptoTests
{
    // RFC 8291, section 5 and appendix A: the example message and its keys.
    private const string Plaintext = "When I grow up, I want to be a watermelon";
    private const string AsPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    private const string AsPublic = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    private const string UaPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    private const string UaPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private const string Auth = "BTBZMqHH6r4Tts7J_aSIgg";
    private const string Salt = "DGv6ra1nlYgDCS1FRnbzlw";
    private const string Message = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    private static byte[] B(string s) => WebPushCrypto.FromBase64Url(s);

    [Fact]
    public void Encrypting_TheRfcExample_GivesTheRfcMessage_ByteForByte()
    {
        using var sender = WebPushCrypto.ImportPrivate(B(AsPrivate), B(AsPublic));
        var body = WebPushCrypto.Encrypt(Encoding.UTF8.GetBytes(Plaintext), B(UaPublic), B(Auth), sender, B(Salt));
        Assert.Equal(Message, WebPushCrypto.Base64Url(body));
    }

    [Fact]
    public void TheRfcMessage_Decrypts_AndATamperedOneDoesNot()
    {
        using var ua = WebPushCrypto.ImportPrivate(B(UaPrivate), B(UaPublic));
        Assert.Equal(Plaintext, Encoding.UTF8.GetString(WebPushCrypto.Decrypt(B(Message), ua, B(Auth))));
        var tampered = B(Message);
        tampered[^20] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => WebPushCrypto.Decrypt(tampered, ua, B(Auth)));
        Assert.ThrowsAny<CryptographicException>(() => WebPushCrypto.Decrypt(B(Message), ua, RandomNumberGenerator.GetBytes(16)));
    }

    [Fact]
    public void FreshKeysAndPadding_RoundTrip_AndEachMessageDiffers()
    {
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        var text = "Someone in your circle reached out"u8.ToArray();
        var first = WebPushCrypto.Encrypt(text, WebPushCrypto.PublicPoint(ua), auth, padTo: 200);
        var second = WebPushCrypto.Encrypt(text, WebPushCrypto.PublicPoint(ua), auth, padTo: 200);
        Assert.NotEqual(first, second);
        Assert.Equal(16 + 4 + 1 + 65 + 200 + 16, first.Length);
        Assert.Equal(text, WebPushCrypto.Decrypt(first, ua, auth));
        Assert.Throws<ArgumentException>(() => WebPushCrypto.Encrypt(new byte[5000], WebPushCrypto.PublicPoint(ua), auth));
    }

    [Fact]
    public void AVapidHeader_IsAnEs256TokenForThePushServicesOrigin()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var vapid = new Vapid(key, "mailto:care@attune.example");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var header = vapid.Authorization(new Uri("https://push.example.net:8443/send/abc?x=1"), now);
        Assert.StartsWith("vapid t=", header, StringComparison.Ordinal);
        var parts = header["vapid t=".Length..].Split(", k=");
        Assert.Equal(vapid.PublicKey, parts[1]);
        var jwt = parts[0].Split('.');
        var claims = JsonDocument.Parse(B(jwt[1])).RootElement;
        Assert.Equal("https://push.example.net:8443", claims.GetProperty("aud").GetString());
        Assert.Equal(now.AddHours(12).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        Assert.Equal("mailto:care@attune.example", claims.GetProperty("sub").GetString());
        Assert.Equal("ES256", JsonDocument.Parse(B(jwt[0])).RootElement.GetProperty("alg").GetString());
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), B(jwt[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(65, B(vapid.PublicKey).Length);
    }
}
