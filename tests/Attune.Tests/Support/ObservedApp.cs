using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Attune.Tests.Support;

/// <summary>
/// The app with its telemetry switched on as an operator would (OTLP to a collector, Prometheus
/// scraping), the collector being <see cref="Collector"/>, plus in-memory exporters so a test can
/// read every span, metric point and log record that left the app.
/// </summary>
public sealed class ObservedApp : AttuneApp
{
    public ObservedApp() : this(new OtlpCollector(), new Push.FakePushService()) { }

    private ObservedApp(OtlpCollector collector, Push.FakePushService push) : base(new Dictionary<string, string?>
    {
        ["Observability:Otlp:Endpoint"] = collector.BaseUrl,
        ["Observability:Otlp:Protocol"] = "http/protobuf",
        ["Observability:Prometheus:Enabled"] = "true",
        ["Attune:Push:Services:0"] = push.Origin,
    }) => (Collector, PushService) = (collector, push);

    public OtlpCollector Collector { get; }

    /// <summary>A local push service, listed as an operator lists a self-hosted one.</summary>
    public Push.FakePushService PushService { get; }
    public List<Activity> Spans { get; } = [];
    public List<MetricSnapshot> Metrics { get; } = [];
    public List<LogRecord> LogRecords { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s =>
        {
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
            s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
            s.ConfigureOpenTelemetryLoggerProvider(l => l.AddInMemoryExporter(LogRecords));
        });
    }

    /// <summary>Everything recorded so far goes out now, to the in-memory lists and to the collector.</summary>
    public void Flush()
    {
        Assert.True(Services.GetRequiredService<TracerProvider>().ForceFlush(30_000), "Spans did not flush");
        // The Prometheus reader is pulled, not pushed, so this answers false even when the pushed readers flushed.
        Services.GetRequiredService<MeterProvider>().ForceFlush(30_000);
        Assert.True(Services.GetRequiredService<LoggerProvider>().ForceFlush(30_000), "Logs did not flush");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Collector.Dispose();
        PushService.Dispose();
    }
}

/// <summary>An OTLP/HTTP collector on loopback that keeps the raw bytes of every export it is sent.</summary>
public sealed class OtlpCollector : IDisposable
{
    private readonly HttpListener _listener = new();

    public OtlpCollector()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext c;
                try { c = await _listener.GetContextAsync(); } catch (HttpListenerException) { return; } catch (ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await c.Request.InputStream.CopyToAsync(body);
                Received.Enqueue((c.Request.Url!.AbsolutePath, body.ToArray()));
                c.Response.StatusCode = 200;
                c.Response.ContentType = "application/x-protobuf"; // an empty Export…ServiceResponse
                c.Response.Close();
            }
        });
    }

    public string BaseUrl { get; }
    public ConcurrentQueue<(string Path, byte[] Body)> Received { get; } = new();

    public void Dispose() => _listener.Close();
}
