using System.Security.Claims;
using Attune.Features.Account;
using Attune.Infrastructure.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Circle;

public static class CircleApi
{
    public static IServiceCollection AddCircle(this IServiceCollection services)
    {
        services.AddScoped<CircleService>();
        services.AddScoped<Safety.IReachOffers>(sp => sp.GetRequiredService<CircleService>());
        services.AddScoped<Reaches>();
        services.AddScoped<PairKeys>();
        services.AddScoped<Threads>();
        services.AddJobHandler<ReachEscalationJob>(Reaches.EscalateJob, ReachEscalationJob.Lane);
        services.AddScoped<Sharing.IShareChannel, CircleShareChannel>();
        services.AddScoped<Sharing.IConversationList, CircleConversations>();
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
        threads.MapPost("/{id:guid}/messages", async Task<Results<Created<Infrastructure.Conversations.MessageDto>, ValidationProblem, NotFound>> (Guid id, Infrastructure.Conversations.MessageInput body, ClaimsPrincipal user, Threads service, CancellationToken ct) =>
        {
            var (message, errors) = await service.PostAsync(Id(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return message is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/threads/{id}", message);
        });
        threads.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, ClaimsPrincipal user, Threads service, CancellationToken ct) =>
            await service.CloseAsync(Id(user), id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

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
}

/// <summary>The person's circle in <c>/api/v1/me/export</c>: who supports them, whom they support, invitations waiting.</summary>
internal sealed class CircleSection(CircleService circle, Threads threads, Sharing.Shares shares) : Privacy.IExportSection
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
            // What a group's members shared with the group is theirs, not mine: no title or name of theirs leaves in my export.
            sharedWithMe = (await shares.ListAsync(userId, mine: false, ct)).Where(s => Groups.Board.GroupShareChannel.GroupOf(s.WithUserId) is null).ToList(),
        };
    }
}
