using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Attune.Infrastructure.Push;
using Attune.Tests.Push;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Attune.Tests.Security;

/// <summary>
/// A push subscription names a URL the server will call. These prove it can only be a push
/// service's: no private, loopback or link-local address (checked again at connect time, after
/// DNS), no redirects elsewhere, and the URLs never reach the log.
/// </summary>
public sealed class PushSafetyTests(PushSafetyTests.App app) : IClassFixture<PushSafetyTests.App>
{
    /// <summary>The fake push service listed as an operator's own, and a DNS that answers what a test tells it to.</summary>
    public sealed class App : AttuneApp
    {
        public App() : this(new FakePushService()) { }

        private App(FakePushService service) : base(new Dictionary<string, string?> { ["Attune:Push:Services:0"] = service.Origin }) => PushService = service;

        public FakePushService PushService { get; }
        public LyingDns Dns { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton<IPushResolver>(Dns)));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            PushService.Dispose();
        }
    }

    /// <summary>Answers each host with the addresses a test set, and remembers every question.</summary>
    public sealed class LyingDns : IPushResolver
    {
        public ConcurrentDictionary<string, IPAddress[]> Answers { get; } = new(StringComparer.OrdinalIgnoreCase);
        public ConcurrentQueue<string> Asked { get; } = new();

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            Asked.Enqueue(host);
            return Task.FromResult(Answers.TryGetValue(host, out var a) ? a : []);
        }
    }

    private static object Keys() => new
    {
        p256dh = WebPushCrypto.Base64Url(WebPushCrypto.PublicPoint(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))),
        auth = WebPushCrypto.Base64Url(RandomNumberGenerator.GetBytes(16)),
    };

    [Theory]
    [InlineData("http://127.0.0.1:8080/push/x")]
    [InlineData("https://127.0.0.1/push/x")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.5/push")]
    [InlineData("https://192.168.1.1/push")]
    [InlineData("https://[::1]/push")]
    [InlineData("https://localhost/push")]
    [InlineData("https://push.example.net/send/x")]
    [InlineData("https://fcm.googleapis.com.evil.example/fcm/send/x")]
    [InlineData("https://evilfcm.googleapis.com/fcm/send/x")]
    [InlineData("http://fcm.googleapis.com/fcm/send/x")]
    [InlineData("https://fcm.googleapis.com:8443/fcm/send/x")]
    [InlineData("https://user:pass@fcm.googleapis.com/fcm/send/x")]
    public async Task AnEndpointOffThePushServices_IsRefused(string endpoint)
    {
        var person = await app.RegisterAsync();
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/push/subscriptions", new { endpoint, keys = Keys() }), "endpoint");
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<PushSubscription>().CountAsync(s => s.UserId == person.Id)));
    }

    [Theory]
    [InlineData("https://fcm.googleapis.com/fcm/send/abc:APA91b")]
    [InlineData("https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk")]
    [InlineData("https://web.push.apple.com/QGuQyavXutnMqZ9S")]
    [InlineData("https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD")]
    public async Task TheBrowsersPushServices_AreAccepted(string endpoint)
    {
        var person = await app.RegisterAsync();
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/push/subscriptions", new { endpoint, keys = Keys() }), HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.0.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("142.250.180.10", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2a00:1450:4009:81a::200a", true)]
    [InlineData("::ffff:142.250.180.10", true)]
    public void OnlyPublicAddresses_CountAsPublic(string address, bool expected) =>
        Assert.Equal(expected, PushServices.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task APushServiceHostThatResolvesToAPrivateAddressWhenSending_IsRefusedBeforeConnecting()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, supporter, "Rebound");
        // Allowed by name when subscribing; by the time of sending, DNS says the host is on loopback (a rebinding).
        const string host = "updates.push.services.mozilla.com";
        app.Dns.Answers[host] = [IPAddress.Loopback, IPAddress.Parse("169.254.169.254")];
        await PushApp.SubscribeAsync(supporter, $"https://{host}/wpush/v2/rebound-{Guid.NewGuid():N}");
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" }), HttpStatusCode.Created);
        await app.SettledAsync();
        Assert.Contains(host, app.Dns.Asked);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Push failed", StringComparison.Ordinal) && l.Contains(nameof(PushAddressRefusedException), StringComparison.Ordinal));
        // The push didn't get through, so the supporter is emailed as for any failed push.
        Assert.Contains("/reaches/", (await app.MailAsync(supporter.Email, "reached out")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APushServiceRedirect_IsNotFollowed()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, supporter, "Redirected");
        var elsewhere = app.PushService.NewEndpoint();
        var endpoint = app.PushService.NewEndpoint(HttpStatusCode.TemporaryRedirect);
        endpoint.RedirectTo = elsewhere.Url;
        await PushApp.SubscribeAsync(supporter, endpoint.Url);
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" }), HttpStatusCode.Created);
        await endpoint.WaitForAsync();
        await app.SettledAsync();
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public async Task PushEndpointUrls_NeverReachTheLog()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, supporter, "Logged");
        var endpoint = app.PushService.NewEndpoint();
        await PushApp.SubscribeAsync(supporter, endpoint.Url);
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" }), HttpStatusCode.Created);
        await endpoint.WaitForAsync();
        await app.SettledAsync();
        var path = new Uri(endpoint.Url).AbsolutePath;
        var leaks = app.Logs.Lines.Where(l => l.Contains(path, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "Push endpoint URLs in the log:\n" + string.Join("\n", leaks));
    }

    [Fact]
    public async Task AnyHttpClientOfTheApp_LogsNoUrlsAtInformation()
    {
        // The second layer: even a client registered without RemoveAllLoggers stays quiet, because
        // appsettings.json puts System.Net.Http.HttpClient at Warning.
        var endpoint = app.PushService.NewEndpoint();
        using (var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("any-other-client"))
            (await client.PostAsync(endpoint.Url, new ByteArrayContent([1]))).Dispose();
        await endpoint.WaitForAsync();
        var path = new Uri(endpoint.Url).AbsolutePath;
        var leaks = app.Logs.Lines.Where(l => l.Contains(path, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "An HttpClient's request URL in the log:\n" + string.Join("\n", leaks));
        var logger = app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("System.Net.Http.HttpClient.any-other-client.LogicalHandler");
        Assert.False(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information));
        Assert.True(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning));
    }
}
