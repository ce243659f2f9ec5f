using System.Text.Json;
using System.Text.Json.Serialization;
using Attune.Data;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Observability;
using Attune.Infrastructure.Pdf;
using Attune.Infrastructure.Push;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Attune.Infrastructure;

/// <summary>What every feature stands on: options, the database, telemetry, the web's defaults, and the shared services (live events, jobs, push, email, PDF).</summary>
public static class InfrastructureSetup
{
    public static WebApplicationBuilder AddInfrastructure(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddAttuneOptions();
        services.AddSingleton(TimeProvider.System);
        services.Configure<KestrelServerOptions>(o =>
            o.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Attune:MaxRequestBytes") ?? 1024 * 1024);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            foreach (var proxy in builder.Configuration.GetSection("Attune:TrustedProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        builder.AddObservability();
        builder.AddAttuneDatabase();

        services.AddLive(builder.Configuration);
        services.AddJobs();
        services.AddPush();
        services.AddEmail();
        services.AddPdf();

        services.AddAttuneRateLimits();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The health check, the OpenAPI document, live events and push subscriptions. The API's routes
    /// need the API policy's name (<paramref name="apiPolicy"/>), which the account feature owns.
    /// </summary>
    public static IEndpointRouteBuilder MapInfrastructure(this IEndpointRouteBuilder app, string apiPolicy)
    {
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapLive(apiPolicy);
        app.MapPush(apiPolicy);
        return app;
    }
}
