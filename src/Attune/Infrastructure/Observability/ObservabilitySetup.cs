using System.Net;
using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Attune.Infrastructure.Observability;

public sealed class ObservabilityOptions
{
    public const string Section = "Observability";
    public OtlpOptions Otlp { get; set; } = new();
    public PrometheusOptions Prometheus { get; set; } = new();

    public sealed class OtlpOptions
    {
        /// <summary>The collector's base address; unset (and no <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): nothing is exported.</summary>
        public string? Endpoint { get; set; }

        /// <summary><c>grpc</c> (port 4317 by convention) or <c>http/protobuf</c> (4318).</summary>
        public string Protocol { get; set; } = "grpc";
    }

    public sealed class PrometheusOptions
    {
        public bool Enabled { get; set; }
        public string Path { get; set; } = "/metrics";
    }
}

/// <summary>
/// Traces, metrics and logs for the operator (docs/operations.md, Metrics and logs). With no OTLP
/// collector and no Prometheus scrape configured, no telemetry pipeline is built at all, so a plain
/// install pays nothing for it. What leaves the process carries no personal data: spans pass
/// <see cref="TelemetryScrubber"/>, metric tags are routes and fixed words, and logs are the same
/// lines the console gets (no scopes, which would carry request paths).
/// </summary>
public static class ObservabilitySetup
{
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new();
        builder.Services.AddSingleton<AttuneMeters>();

        // One JSON object a line for journald and log shippers; Logging:Console:FormatterName overrides.
        if (builder.Environment.IsProduction() && string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = false;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });

        var endpoint = options.Otlp.Endpoint is { Length: > 0 } e ? e : builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var otlp = !string.IsNullOrWhiteSpace(endpoint);
        if (!otlp && !options.Prometheus.Enabled) return builder;

        var version = typeof(ObservabilitySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("attune", serviceVersion: version?.Split('+')[0]))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation()
                    .AddMeter(AttuneMeters.Name, "Microsoft.EntityFrameworkCore");
                if (options.Prometheus.Enabled) m.AddPrometheusExporter();
            });
        if (otlp)
        {
            telemetry.WithTracing(t => t
                .AddProcessor(new TelemetryScrubber()) // first, so every exporter after it sees scrubbed spans
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.RecordException = false;
                    o.Filter = c => !c.Request.Path.StartsWithSegments(options.Prometheus.Path) && !c.Request.Path.StartsWithSegments("/health");
                })
                .AddHttpClientInstrumentation(o => o.RecordException = false)
                .AddEntityFrameworkCoreInstrumentation());
            telemetry.WithLogging(configureBuilder: null, o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = false;
            });
            var protocol = string.Equals(options.Otlp.Protocol, "http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(endpoint!));
        }
        if (options.Prometheus.Enabled)
            builder.Services.AddSingleton<IStartupFilter>(new PrometheusScrape(options.Prometheus.Path));
        return builder;
    }

    /// <summary>
    /// The scrape endpoint, first in the pipeline and only for this machine: a loopback connection
    /// that no proxy forwarded (a request through nginx carries X-Forwarded-For, and nginx also
    /// refuses the path). Anything else falls through to the app, which has no such page.
    /// </summary>
    private sealed class PrometheusScrape(string path) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(c => c.Request.Path == path && FromThisMachine(c));
            next(app);
        };
    }

    internal static bool FromThisMachine(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } ip) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return IPAddress.IsLoopback(ip)
            && !context.Request.Headers.ContainsKey("X-Forwarded-For")
            && !context.Request.Headers.ContainsKey("Forwarded");
    }
}
