using Attune.Infrastructure.Web;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Infrastructure.Push;

public static class PushSetup
{
    /// <summary>Web Push: this server's VAPID keys, people's subscriptions, and the notice queue features hand their notices to.</summary>
    public static IServiceCollection AddPush(this IServiceCollection services)
    {
        services.AddSingleton<VapidKeys>();
        services.AddScoped<PushSender>();
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section);
        services.AddSingleton<IPushResolver, DnsPushResolver>();
        services.AddSingleton<PushServices>();
        services.AddSingleton<Notices>();
        services.AddHostedService(sp => sp.GetRequiredService<Notices>());
        // Push endpoint URLs are capability URLs: the client's own request logging would write them to the log.
        services.AddHttpClient(PushSender.Client, c => c.Timeout = PushServices.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PushServices>().CreateHandler())
            .RemoveAllLoggers();
        return services;
    }

    /// <summary>The server's public key, and a person's subscriptions (each device's browser asks for its own).</summary>
    public static IEndpointRouteBuilder MapPush(this IEndpointRouteBuilder app, string apiPolicy)
    {
        var push = app.MapGroup("/api/v1/push").RequireAuthorization(apiPolicy).WithTags("Push");
        push.MapGet("/key", async (VapidKeys keys, CancellationToken ct) => TypedResults.Ok(new { publicKey = (await keys.GetAsync(ct)).PublicKey }));
        push.MapPost("/subscriptions", async Task<Results<Created<object>, ValidationProblem>> (PushSubscriptionInput body, ClaimsPrincipal user, PushSender sender, CancellationToken ct) =>
        {
            var (id, errors) = await sender.SubscribeAsync(Id(user), body, ct);
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created($"/api/v1/push/subscriptions/{id}", (object)new { id });
        });
        push.MapDelete("/subscriptions/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, PushSender sender, CancellationToken ct) =>
            await sender.UnsubscribeAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        return app;
    }

    private static string Id(ClaimsPrincipal user) => CurrentPerson.IdOf(user)!;
}
