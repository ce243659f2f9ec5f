using System.Security.Claims;
using Attune.Features.Account;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Circle;

public static class CircleApi
{
    public static IServiceCollection AddCircle(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<CircleService>();
        services.AddSingleton(sp => new EventHub(sp.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>(), sp.GetService<Infrastructure.Observability.AttuneMeters>()));
        // On PostgreSQL, events also travel between nodes (LISTEN/NOTIFY); Attune:Events:Relay=false keeps them on one node.
        if (Data.DatabaseSetup.Provider(config) == Data.DatabaseProvider.Postgres && config.GetValue("Attune:Events:Relay", true))
        {
            services.AddSingleton(sp => new PostgresEventRelay(sp.GetRequiredService<IConfiguration>().GetConnectionString("Default")!,
                sp.GetRequiredService<EventHub>(), sp.GetRequiredService<ILogger<PostgresEventRelay>>(), sp.GetRequiredService<Infrastructure.PersonProfiles>()));
            services.AddHostedService(sp => sp.GetRequiredService<PostgresEventRelay>());
        }
        services.AddScoped<Reaches>();
        services.AddScoped<PairKeys>();
        services.AddScoped<Threads>();
        services.AddScoped<Shares>();
        services.AddSingleton<Jobs>();
        services.AddHostedService<JobWorker>();
        services.AddSingleton<Infrastructure.Push.VapidKeys>();
        services.AddScoped<Infrastructure.Push.PushSender>();
        services.AddOptions<Infrastructure.Push.PushOptions>().BindConfiguration(Infrastructure.Push.PushOptions.Section);
        services.AddSingleton<Infrastructure.Push.IPushResolver, Infrastructure.Push.DnsPushResolver>();
        services.AddSingleton<Infrastructure.Push.PushServices>();
        services.AddSingleton<Infrastructure.Push.Notices>();
        services.AddHostedService(sp => sp.GetRequiredService<Infrastructure.Push.Notices>());
        // Push endpoint URLs are capability URLs: the client's own request logging would write them to the log.
        services.AddHttpClient(Infrastructure.Push.PushSender.Client, c => c.Timeout = Infrastructure.Push.PushServices.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Infrastructure.Push.PushServices>().CreateHandler())
            .RemoveAllLoggers();
        services.AddScoped<Privacy.IExportSection, CircleSection>();
        return services;
    }

    public static IEndpointRouteBuilder MapCircle(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/circle").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Circle");
        api.MapGet("", async (ClaimsPrincipal user, CircleService circle, CancellationToken ct) => TypedResults.Ok(await circle.ListAsync(Id(user), ct)));
        api.MapPost("/invitations", async Task<Results<Created<InvitationDto>, ValidationProblem>> (InvitationInput body, ClaimsPrincipal user, CircleService circle, CancellationToken ct) =>
        {
            var (invitation, _, errors) = await circle.InviteAsync(Id(user), body, ct);
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created($"/api/v1/circle/invitations/{invitation!.Id}", invitation);
        }).WithMetadata(new Infrastructure.Web.RateLimitedAttribute(Infrastructure.Web.RateLimits.Email));
        api.MapDelete("/invitations/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, CircleService circle, CancellationToken ct) =>
            await circle.CancelInvitationAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        api.MapPost("/invitations/{token}/accept", async Task<Results<Ok<MemberDto>, NotFound, ProblemHttpResult>> (string token, ClaimsPrincipal user, CircleService circle, CancellationToken ct) =>
        {
            var (outcome, member) = await circle.AcceptAsync(token, Id(user), ct);
            return outcome switch
            {
                AcceptOutcome.Accepted => TypedResults.Ok(member!),
                AcceptOutcome.NotFound => TypedResults.NotFound(),
                _ => TypedResults.Problem(statusCode: outcome is AcceptOutcome.Expired or AcceptOutcome.Used ? 410 : 403, title: Explain(outcome)),
            };
        });
        api.MapPatch("/{memberId:guid}", async Task<Results<Ok<MemberDto>, ValidationProblem, NotFound>> (Guid memberId, MemberPatch body, ClaimsPrincipal user, CircleService circle, CancellationToken ct) =>
        {
            var (member, errors) = await circle.UpdateAsync(Id(user), memberId, body, ct);
            if (errors is not null) return errors.ToProblem();
            return member is null ? TypedResults.NotFound() : TypedResults.Ok(member);
        });
        api.MapDelete("/{memberId:guid}", async Task<Results<NoContent, NotFound>> (Guid memberId, ClaimsPrincipal user, CircleService circle, CancellationToken ct) =>
            await circle.EndAsync(Id(user), memberId, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        var reaches = app.MapGroup("/api/v1/reaches").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Reaches");
        reaches.MapPost("", async Task<Results<Created<ReachDto>, ValidationProblem>> (ReachInput body, ClaimsPrincipal user, Reaches service, CancellationToken ct) =>
        {
            var (reach, errors) = await service.CreateAsync(Id(user), body, ct);
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created($"/api/v1/reaches/{reach!.Id}", reach);
        });
        reaches.MapGet("", async (ClaimsPrincipal user, Reaches service, CancellationToken ct) =>
            TypedResults.Ok(new Infrastructure.Web.Page<ReachDto>(await service.MineAsync(Id(user), ct), null)));
        reaches.MapGet("/{id:guid}", async Task<Results<Ok<ReachDto>, NotFound>> (Guid id, ClaimsPrincipal user, Reaches service, CancellationToken ct) =>
            await service.GetAsync(Id(user), id, markSeen: true, ct) is { } r ? TypedResults.Ok(r) : TypedResults.NotFound());
        reaches.MapPost("/{id:guid}/responses", async Task<Results<Ok<ReachDto>, ValidationProblem, NotFound>> (Guid id, ResponseInput body, ClaimsPrincipal user, Reaches service, CancellationToken ct) =>
        {
            var (reach, errors) = await service.RespondAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return reach is null ? TypedResults.NotFound() : TypedResults.Ok(reach);
        });

        var threads = app.MapGroup("/api/v1/threads").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Threads");
        threads.MapGet("", async (ClaimsPrincipal user, Threads service, CancellationToken ct) =>
            TypedResults.Ok(new Infrastructure.Web.Page<ThreadSummary>(await service.ListAsync(Id(user), ct), null)));
        threads.MapGet("/{id:guid}", async Task<Results<Ok<ThreadDto>, NotFound>> (Guid id, ClaimsPrincipal user, Threads service, CancellationToken ct) =>
            await service.GetAsync(Id(user), id, ct) is { } t ? TypedResults.Ok(t) : TypedResults.NotFound());
        threads.MapPost("/{id:guid}/messages", async Task<Results<Created<ThreadMessageDto>, ValidationProblem, NotFound>> (Guid id, ThreadMessageInput body, ClaimsPrincipal user, Threads service, CancellationToken ct) =>
        {
            var (message, errors) = await service.PostAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return message is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/threads/{id}", message);
        });
        threads.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, Threads service, CancellationToken ct) =>
            await service.CloseAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        var shares = app.MapGroup("/api/v1/shares").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Shares");
        shares.MapPost("", async Task<Results<Created<ShareDto>, Ok<ShareDto>, ValidationProblem>> (ShareInput body, ClaimsPrincipal user, Shares service, CancellationToken ct) =>
        {
            var (share, existing, errors) = await service.CreateAsync(Id(user), body, ct);
            if (errors is not null) return errors.ToProblem();
            return existing ? TypedResults.Ok(share!) : TypedResults.Created($"/api/v1/shares/{share!.Id}", share);
        });
        shares.MapGet("", async (ClaimsPrincipal user, Shares service, CancellationToken ct) =>
            TypedResults.Ok(new Infrastructure.Web.Page<ShareDto>(await service.ListAsync(Id(user), mine: true, ct), null)));
        shares.MapGet("/{id:guid}", async Task<Results<Ok<ShareDto>, NotFound>> (Guid id, ClaimsPrincipal user, Shares service, CancellationToken ct) =>
            await service.GetAsync(Id(user), id, ct) is { } s ? TypedResults.Ok(s) : TypedResults.NotFound());
        shares.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, Shares service, CancellationToken ct) =>
            await service.RevokeAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        shares.MapPost("/{id:guid}/witness", async Task<Results<Created<WitnessDto>, ValidationProblem, NotFound>> (Guid id, WitnessInput body, ClaimsPrincipal user, Shares service, CancellationToken ct) =>
        {
            var (witness, errors) = await service.WitnessAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return witness is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/shares/{id}", witness);
        });
        var sharedWithMe = app.MapGroup("/api/v1/shared-with-me").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Shares");
        sharedWithMe.MapGet("", async (ClaimsPrincipal user, Shares service, CancellationToken ct) =>
            TypedResults.Ok(new Infrastructure.Web.Page<ShareDto>(await service.ListAsync(Id(user), mine: false, ct), null)));

        var push = app.MapGroup("/api/v1/push").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Push");
        push.MapGet("/key", async (Infrastructure.Push.VapidKeys keys, CancellationToken ct) => TypedResults.Ok(new { publicKey = (await keys.GetAsync(ct)).PublicKey }));
        push.MapPost("/subscriptions", async Task<Results<Created<object>, ValidationProblem>> (Infrastructure.Push.PushSubscriptionInput body, ClaimsPrincipal user, Infrastructure.Push.PushSender sender, CancellationToken ct) =>
        {
            var (id, errors) = await sender.SubscribeAsync(Id(user), body, ct);
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created($"/api/v1/push/subscriptions/{id}", (object)new { id });
        });
        push.MapDelete("/subscriptions/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, Infrastructure.Push.PushSender sender, CancellationToken ct) =>
            await sender.UnsubscribeAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        // Live events: for API clients with a bearer token, and for Attune's own pages with their sign-in cookie.
        app.MapGet("/api/v1/events", StreamAsync).RequireAuthorization(AccountApi.ApiPolicy).WithTags("Events");
        app.MapGet("/live", StreamAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    public static string Explain(AcceptOutcome outcome) => outcome switch
    {
        AcceptOutcome.Expired => "This invitation has expired. Invitations last 7 days; the person who sent it can send a new one.",
        AcceptOutcome.Used => "This invitation has already been used.",
        AcceptOutcome.WrongAccount => "This invitation was sent to a different email address. Please sign in with that address to accept it.",
        AcceptOutcome.OwnInvitation => "This is an invitation you sent. It's waiting for the person you invited.",
        AcceptOutcome.NotFound => "This invitation link isn't one we know. It may have been cancelled.",
        _ => "",
    };

    private static string Id(ClaimsPrincipal user) => Infrastructure.Web.CurrentPerson.IdOf(user)!;

    /// <summary>A stream ends when the client goes, when its session ends, or when the app begins to stop (so shutdown never waits on it).</summary>
    private static async Task StreamAsync(HttpContext context, ClaimsPrincipal user, EventHub hub, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime)
    {
        // A stream can stay open for hours; the request's database context was needed only by the
        // sign-in checks before it, so let it go now rather than hold it per open stream.
        if (context.RequestServices.GetService<Data.AttuneDb>() is { } db) await db.DisposeAsync();
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var userId = Id(user);
        var sessionId = Sessions.IdOf(user);
        await hub.StreamAsync(context, userId, sessionId, async ct =>
        {
            if (sessionId is not { } sid) return false;
            using var scope = scopes.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<Sessions>().IsActiveAsync(sid, userId, ct);
        }, both.Token);
    }
}

/// <summary>The person's circle in <c>/api/v1/me/export</c>: who supports them, whom they support, invitations waiting.</summary>
internal sealed class CircleSection(CircleService circle, Threads threads, Shares shares) : Privacy.IExportSection
{
    public string Name => "circle";

    /// <summary>The circle, every conversation with its messages, and what I shared and was shared with me (with the reflections, not the other person's items).</summary>
    public async Task<object?> ReadAsync(Data.AttuneDb db, string userId, CancellationToken ct)
    {
        var conversations = new List<ThreadDto>();
        foreach (var t in await threads.ListAsync(userId, ct))
            if (await threads.GetAsync(userId, t.Id, ct) is { } full) conversations.Add(full);
        var mine = await circle.ListAsync(userId, ct);
        return new
        {
            supporters = mine.Supporters,
            supporting = mine.Supporting,
            invitations = mine.Invitations,
            conversations,
            shared = await shares.ListAsync(userId, mine: true, ct),
            sharedWithMe = await shares.ListAsync(userId, mine: false, ct),
        };
    }
}
