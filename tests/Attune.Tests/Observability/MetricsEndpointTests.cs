using System.Net;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Attune.Tests.Observability;

/// <summary>
/// The Prometheus scrape endpoint, served by the real server on loopback: there for this machine,
/// gone for anything a proxy forwarded; and with nothing configured, no telemetry pipeline at all,
/// while Production's console logs are JSON.
/// </summary>
public sealed class MetricsEndpointTests(MetricsEndpointTests.ScrapedApp app) : IClassFixture<MetricsEndpointTests.ScrapedApp>
{
    [Fact]
    public async Task Scrape_FromThisMachine_ShowsAttunesMeters_AndAForwardedRequestGetsNothing()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        await Expect.StatusAsync(await http.GetAsync("/health"), HttpStatusCode.OK);

        var scrape = await Expect.StatusAsync(await http.GetAsync("/metrics"), HttpStatusCode.OK);
        Assert.Contains("attune_jobs_queue_depth", scrape, StringComparison.Ordinal);
        Assert.Contains("attune_jobs_queue_oldest_age_seconds", scrape, StringComparison.Ordinal);
        Assert.Contains("attune_groups_rooms_open", scrape, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", scrape, StringComparison.Ordinal);

        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var answer = await http.SendAsync(forwarded);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode != HttpStatusCode.OK && !body.Contains("attune_", StringComparison.Ordinal), $"A forwarded scrape answered {(int)answer.StatusCode}: {body}");
    }

    [Fact]
    public async Task ByDefault_ThereIsNoTelemetryPipeline_NoScrapeEndpoint_AndProductionLogsAreJson()
    {
        var plain = new AttuneApp();
        await ((IAsyncLifetime)plain).InitializeAsync();
        try
        {
            Assert.Null(plain.Services.GetService<MeterProvider>());
            Assert.Equal("json", plain.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
            using var client = plain.CreateClient();
            var answer = await client.GetAsync("/metrics");
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode != HttpStatusCode.OK && !body.Contains("attune_", StringComparison.Ordinal), $"/metrics answered {(int)answer.StatusCode}: {body}");
        }
        finally { await ((IAsyncLifetime)plain).DisposeAsync(); }
    }

    public sealed class ScrapedApp : AttuneApp
    {
        public ScrapedApp() : base(new Dictionary<string, string?> { ["Observability:Prometheus:Enabled"] = "true", ["AllowedHosts"] = "localhost;127.0.0.1" }) => UseKestrel(0);

        public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
    }
}
