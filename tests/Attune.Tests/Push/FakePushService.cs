using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Attune.Infrastructure.Push;
using Attune.Tests.Support;

namespace Attune.Tests.Push;

/// <summary>
/// A local stand-in for browsers' push services, on one loopback port. Each endpoint (a path of
/// its own) records what it is sent and answers a chosen status, a redirect, or never.
/// </summary>
public sealed class FakePushService : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, FakeEndpoint> _endpoints = new();
    private readonly CancellationTokenSource _stop = new();

    public string Origin { get; }

    public FakePushService()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Origin = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Origin + "/");
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public FakeEndpoint NewEndpoint(HttpStatusCode answer = HttpStatusCode.Created, bool never = false)
    {
        var endpoint = new FakeEndpoint($"{Origin}/push/{Guid.NewGuid():N}") { Answer = answer, Never = never };
        _endpoints[new Uri(endpoint.Url).AbsolutePath] = endpoint;
        return endpoint;
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext c;
            try { c = await _listener.GetContextAsync(); } catch (HttpListenerException) { return; } catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => ServeAsync(c));
        }
    }

    private async Task ServeAsync(HttpListenerContext c)
    {
        using var body = new MemoryStream();
        await c.Request.InputStream.CopyToAsync(body);
        if (!_endpoints.TryGetValue(c.Request.Url!.AbsolutePath, out var endpoint))
        {
            c.Response.StatusCode = 404;
            c.Response.Close();
            return;
        }
        endpoint.Received.Enqueue((c.Request.Headers.AllKeys.ToDictionary(k => k!, k => c.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase), body.ToArray()));
        if (endpoint.Never)
        {
            try { await Task.Delay(Timeout.Infinite, _stop.Token); } catch (OperationCanceledException) { }
            return;
        }
        c.Response.StatusCode = (int)endpoint.Answer;
        if (endpoint.RedirectTo is { } to) c.Response.RedirectLocation = to;
        c.Response.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}

public sealed class FakeEndpoint(string url)
{
    public string Url { get; } = url;
    public ConcurrentQueue<(Dictionary<string, string> Headers, byte[] Body)> Received { get; } = new();
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.Created;
    public bool Never { get; set; }
    public string? RedirectTo { get; set; }

    /// <summary>Waits (up to 10 s) until this endpoint has had <paramref name="count"/> requests.</summary>
    public async Task WaitForAsync(int count = 1)
    {
        for (var i = 0; i < 200 && Received.Count < count; i++) await Task.Delay(50);
        Assert.True(Received.Count >= count, $"The push endpoint had {Received.Count} requests, expected {count}.");
    }
}

/// <summary>The app with the fake push service listed in <c>Attune:Push:Services</c>, as an operator would list a self-hosted one.</summary>
public sealed class PushApp : AttuneApp
{
    public PushApp() : this(new FakePushService()) { }

    private PushApp(FakePushService service) : base(new Dictionary<string, string?> { ["Attune:Push:Services:0"] = service.Origin }) => PushService = service;

    public FakePushService PushService { get; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        PushService.Dispose();
    }

    /// <summary>Subscribes <paramref name="person"/>'s browser at <paramref name="endpoint"/>; answers the browser's key pair and auth secret.</summary>
    public static async Task<(ECDiffieHellman Browser, byte[] Auth)> SubscribeAsync(Person person, string endpoint)
    {
        var browser = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(person.Api, "/api/v1/push/subscriptions",
            new { endpoint, keys = new { p256dh = WebPushCrypto.Base64Url(WebPushCrypto.PublicPoint(browser)), auth = WebPushCrypto.Base64Url(auth) } });
        await Expect.StatusAsync(response, HttpStatusCode.Created);
        return (browser, auth);
    }
}
