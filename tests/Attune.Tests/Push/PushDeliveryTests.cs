using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attune.Infrastructure.Push;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Push;

public sealed class PushDeliveryTests(PushApp app) : IClassFixture<PushApp>
{
    private async Task JoinAsync(Person owner, Person supporter) => await Circles.JoinAsync(app, owner, supporter, "Sup");

    [Fact]
    public async Task AReach_IsPushedEncrypted_WithNoPersonalText_AndAGoneSubscriptionIsDropped()
    {
        var owner = await app.RegisterAsync("Robin Pusher");
        var supporter = await app.RegisterAsync();
        await JoinAsync(owner, supporter);
        var endpoint = app.PushService.NewEndpoint();
        var (browser, auth) = await PushApp.SubscribeAsync(supporter, endpoint.Url);
        using var _ = browser;
        var key = (await supporter.Api.GetFromJsonAsync<JsonElement>("/api/v1/push/key")).GetProperty("publicKey").GetString()!;
        Assert.Equal(key, (await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/push/key")).GetProperty("publicKey").GetString());
        await app.SettledAsync();
        var emailsBefore = Mail.All(app.MailDirectory).Count(m => m.To == supporter.Email);

        var reach = await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { message = "Push Canary Heron words", urgency = "now" });
        var id = JsonDocument.Parse(await Expect.StatusAsync(reach, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await endpoint.WaitForAsync();
        var (headers, body) = Assert.Single(endpoint.Received);
        Assert.Equal("aes128gcm", headers["Content-Encoding"]);
        Assert.Equal("high", headers["Urgency"]);
        Assert.True(int.Parse(headers["TTL"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        var vapid = headers["Authorization"];
        Assert.StartsWith("vapid t=", vapid, StringComparison.Ordinal);
        var parts = vapid["vapid t=".Length..].Split(", k=");
        Assert.Equal(key, parts[1]);
        var jwt = parts[0].Split('.');
        var point = WebPushCrypto.FromBase64Url(key);
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), WebPushCrypto.FromBase64Url(jwt[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal(app.PushService.Origin, JsonDocument.Parse(WebPushCrypto.FromBase64Url(jwt[1])).RootElement.GetProperty("aud").GetString());

        var notice = JsonDocument.Parse(WebPushCrypto.Decrypt(body, browser, auth)).RootElement;
        Assert.Equal("Someone in your circle reached out.", notice.GetProperty("body").GetString());
        Assert.Equal($"/reaches/{id}", notice.GetProperty("url").GetString());
        var plain = Encoding.UTF8.GetString(WebPushCrypto.Decrypt(body, browser, auth));
        Assert.DoesNotContain("Canary", plain);
        Assert.DoesNotContain("Robin", plain);
        await app.SettledAsync();
        Assert.Equal(emailsBefore, Mail.All(app.MailDirectory).Count(m => m.To == supporter.Email)); // the push reached them: no email

        // The push service says the subscription is gone: it is removed, and the email fallback is used.
        endpoint.Answer = HttpStatusCode.Gone;
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "today" }), HttpStatusCode.Created);
        await app.SettledAsync();
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PushSubscription>().CountAsync(s => s.UserId == supporter.Id)));
        Assert.Equal(emailsBefore + 1, Mail.All(app.MailDirectory).Count(m => m.To == supporter.Email));
    }

    [Theory]
    [InlineData("ftp://push.example/x", true, true, "endpoint")]
    [InlineData("https://fcm.googleapis.com/fcm/send/x", false, true, "keys.p256dh")]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/x", true, false, "keys.auth")]
    public async Task BadSubscriptions_Answer400NamingTheField(string endpoint, bool goodKey, bool goodAuth, string field)
    {
        var person = await app.RegisterAsync();
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var p256dh = goodKey ? WebPushCrypto.Base64Url(WebPushCrypto.PublicPoint(browser)) : "AAAA";
        var auth = goodAuth ? WebPushCrypto.Base64Url(RandomNumberGenerator.GetBytes(16)) : WebPushCrypto.Base64Url(new byte[5]);
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/push/subscriptions", new { endpoint, keys = new { p256dh, auth } }), field);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PushSubscription>().CountAsync(s => s.UserId == person.Id)));
    }

    [Fact]
    public async Task ASubscription_IsSealed_AndOnlyItsOwnerCanRemoveIt()
    {
        var person = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var created = await person.Api.PostAsJsonAsync("/api/v1/push/subscriptions", new
        {
            endpoint = "https://fcm.googleapis.com/fcm/send/endpoint-canary-owl",
            keys = new { p256dh = WebPushCrypto.Base64Url(WebPushCrypto.PublicPoint(browser)), auth = WebPushCrypto.Base64Url(RandomNumberGenerator.GetBytes(16)) },
        });
        var id = JsonDocument.Parse(await Expect.StatusAsync(created, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        if (!app.IsPostgres)
            Assert.False(Privacy.PrivacyApiTests.FileContains(app.SqliteFile + "-wal", Encoding.UTF8.GetBytes("endpoint-canary-owl")) || Privacy.PrivacyApiTests.FileContains(app.SqliteFile, Encoding.UTF8.GetBytes("endpoint-canary-owl")));
        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/push/subscriptions/{id}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/push/subscriptions/{id}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task TheServiceWorkerAndManifest_AreServed()
    {
        using var anon = app.CreateClient();
        var sw = await anon.GetAsync("/sw.js");
        Assert.Equal(HttpStatusCode.OK, sw.StatusCode);
        Assert.Contains("showNotification", await sw.Content.ReadAsStringAsync());
        var manifest = await anon.GetAsync("/manifest.webmanifest");
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        Assert.Equal("application/manifest+json", manifest.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Attune", JsonDocument.Parse(await manifest.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString());
    }
}
