using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attune.Infrastructure.Push;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Push;

/// <summary>A local stand-in for a browser's push service: records what it is sent, answers a chosen status.</summary>
public sealed class FakePushService : IDisposable
{
    private readonly HttpListener _listener = new();
    public ConcurrentQueue<(Dictionary<string, string> Headers, byte[] Body)> Received { get; } = new();
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.Created;
    public string Endpoint { get; }

    public FakePushService()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}/push/{Guid.NewGuid():N}";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext c;
                try { c = await _listener.GetContextAsync(); } catch (HttpListenerException) { return; } catch (ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await c.Request.InputStream.CopyToAsync(body);
                Received.Enqueue((c.Request.Headers.AllKeys.ToDictionary(k => k!, k => c.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase), body.ToArray()));
                c.Response.StatusCode = (int)Answer;
                c.Response.Close();
            }
        });
    }

    public void Dispose() => _listener.Close();
}

public sealed class PushDeliveryTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private async Task JoinAsync(Person owner, Person supporter)
    {
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name = "Sup" }), HttpStatusCode.Created);
        var token = Mail.LinkIn(Mail.Latest(app.MailDirectory, supporter.Email, "invited")).Split('/')[^1];
        await Expect.StatusAsync(await supporter.Api.PostAsync($"/api/v1/circle/invitations/{token}/accept", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task AReach_IsPushedEncrypted_WithNoPersonalText_AndAGoneSubscriptionIsDropped()
    {
        var owner = await app.RegisterAsync("Robin Pusher");
        var supporter = await app.RegisterAsync();
        await JoinAsync(owner, supporter);
        using var service = new FakePushService();
        using var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        var subscribed = await supporter.Api.PostAsJsonAsync("/api/v1/push/subscriptions",
            new { endpoint = service.Endpoint, keys = new { p256dh = WebPushCrypto.Base64Url(WebPushCrypto.PublicPoint(browser)), auth = WebPushCrypto.Base64Url(auth) } });
        await Expect.StatusAsync(subscribed, HttpStatusCode.Created);
        var key = (await supporter.Api.GetFromJsonAsync<JsonElement>("/api/v1/push/key")).GetProperty("publicKey").GetString()!;
        Assert.Equal(key, (await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/push/key")).GetProperty("publicKey").GetString());
        var emailsBefore = Mail.All(app.MailDirectory).Count(m => m.To == supporter.Email);

        var reach = await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { message = "Push Canary Heron words", urgency = "now" });
        var id = JsonDocument.Parse(await Expect.StatusAsync(reach, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var (headers, body) = Assert.Single(service.Received);
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
        Assert.Equal(new Uri(service.Endpoint).GetLeftPart(UriPartial.Authority), JsonDocument.Parse(WebPushCrypto.FromBase64Url(jwt[1])).RootElement.GetProperty("aud").GetString());

        var notice = JsonDocument.Parse(WebPushCrypto.Decrypt(body, browser, auth)).RootElement;
        Assert.Equal("Someone in your circle reached out.", notice.GetProperty("body").GetString());
        Assert.Equal($"/reaches/{id}", notice.GetProperty("url").GetString());
        var plain = Encoding.UTF8.GetString(WebPushCrypto.Decrypt(body, browser, auth));
        Assert.DoesNotContain("Canary", plain);
        Assert.DoesNotContain("Robin", plain);
        Assert.Equal(emailsBefore, Mail.All(app.MailDirectory).Count(m => m.To == supporter.Email)); // the push reached them: no email

        // The push service says the subscription is gone: it is removed, and the email fallback is used.
        service.Answer = HttpStatusCode.Gone;
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "today" }), HttpStatusCode.Created);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PushSubscription>().CountAsync(s => s.UserId == supporter.Id)));
        Assert.Equal(emailsBefore + 1, Mail.All(app.MailDirectory).Count(m => m.To == supporter.Email));
    }

    [Theory]
    [InlineData("ftp://push.example/x", true, true, "endpoint")]
    [InlineData("http://push.example.net/x", true, true, "endpoint")]
    [InlineData("https://push.example.net/x", false, true, "keys.p256dh")]
    [InlineData("https://push.example.net/x", true, false, "keys.auth")]
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
            endpoint = "https://push.example.net/send/endpoint-canary-owl",
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
