using Attune.Infrastructure.Web;
using System.Security.Claims;
using Attune.Data;
using Attune.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Infrastructure.Live;

public static class LiveSetup
{
    /// <summary>The event hub every feature publishes to, and on PostgreSQL its relay between nodes.</summary>
    public static IServiceCollection AddLive(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(sp => new EventHub(sp.GetRequiredService<IMemoryCache>(), sp.GetService<AttuneMeters>(), sp.GetService<TimeProvider>()));
        // On PostgreSQL, events also travel between nodes (LISTEN/NOTIFY); Attune:Events:Relay=false keeps them on one node.
        if (DatabaseSetup.Provider(config) == DatabaseProvider.Postgres && config.GetValue("Attune:Events:Relay", true))
        {
            services.AddSingleton(sp => new PostgresEventRelay(sp.GetRequiredService<IConfiguration>().GetConnectionString("Default")!,
                sp.GetRequiredService<EventHub>(), sp.GetRequiredService<ILogger<PostgresEventRelay>>(), sp.GetRequiredService<PersonProfiles>(),
                sp.GetRequiredService<PersonSnapshots>()));
            services.AddHostedService(sp => sp.GetRequiredService<PostgresEventRelay>());
        }
        return services;
    }

    /// <summary>
    /// Live events: for API clients with a bearer token (<paramref name="apiPolicy"/>), and for
    /// Attune's own pages with their sign-in cookie.
    /// </summary>
    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app, string apiPolicy)
    {
        app.MapGet("/api/v1/events", StreamAsync).RequireAuthorization(apiPolicy).WithTags("Events");
        app.MapGet("/live", StreamAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>A stream ends when the client goes, when its session ends, or when the app begins to stop (so shutdown never waits on it).</summary>
    private static async Task StreamAsync(HttpContext context, ClaimsPrincipal user, EventHub hub, ISessionCheck sessions, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime)
    {
        // A stream can stay open for hours; the request's database context was needed only by the
        // sign-in checks before it, so let it go now rather than hold it per open stream.
        if (context.RequestServices.GetService<AttuneDb>() is { } db) await db.DisposeAsync();
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var userId = CurrentPerson.IdOf(user)!;
        var sessionId = sessions.SessionOf(user);
        // A reconnect: the browser's EventSource sends Last-Event-ID by itself; a client that can't set
        // headers may pass the same value as ?lastEventId=. The session checks above have already run.
        var lastEventId = context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } header ? header
            : context.Request.Query["lastEventId"].FirstOrDefault() is { Length: > 0 } query ? query : null;
        await hub.StreamAsync(context, userId, sessionId, lastEventId, async ct =>
        {
            if (sessionId is not { } sid) return false;
            using var scope = scopes.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<ISessionCheck>().IsActiveAsync(sid, userId, ct);
        }, both.Token);
    }
}
