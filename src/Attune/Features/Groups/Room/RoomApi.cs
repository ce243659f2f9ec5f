using System.Security.Claims;
using Attune.Features.Account;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Attune.Features.Groups.Room;

/// <summary>The live room: its state machine, store and routes (docs/groups.md, "The room").</summary>
public static class RoomApi
{
    public static IServiceCollection AddGroupRoom(this IServiceCollection services)
    {
        services.AddSingleton<RoomLocks>();
        services.AddSingleton<RoomCache>();
        services.AddScoped<RoomStore>();
        services.AddScoped<RoomService>();
        services.AddScoped<IRoomMembership>(sp => sp.GetRequiredService<RoomService>());
        // The safety part replaces these with its crisis and advice checks and its content prompts.
        services.TryAddSingleton<IRoomTextCheck, NoRoomTextCheck>();
        services.TryAddSingleton<IRoomPrompts, NoRoomPrompts>();
        services.AddJobHandler<RoomNoShowJob>(GroupJobs.NoShow, GroupJobs.Lane);
        services.AddHostedService<RoomGauges>();
        return services;
    }

    public static IEndpointRouteBuilder MapGroupRoom(this IEndpointRouteBuilder app)
    {
        var room = app.MapGroup("/api/v1/groups/{id:guid}/meetings/{meetingId:guid}/room").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Groups");
        room.MapGet("", async Task<Results<Ok<RoomStateDto>, NotFound>> (Guid id, Guid meetingId, ClaimsPrincipal user, RoomService rooms, CancellationToken ct) =>
            await rooms.GetAsync(CurrentPerson.IdOf(user)!, id, meetingId, ct) is { } state ? TypedResults.Ok(state) : TypedResults.NotFound());
        room.MapPost("/events", async (Guid id, Guid meetingId, RoomEventInput body, ClaimsPrincipal user, HttpContext http, RoomService rooms, CancellationToken ct) =>
        {
            var minimal = PrefersMinimal(http.Request);
            if (minimal) http.Response.Headers["Preference-Applied"] = "return=minimal";
            return ToResult(await rooms.ApplyAsync(CurrentPerson.IdOf(user)!, id, meetingId, body, ct, brief: minimal));
        });
        return app;
    }

    /// <summary>RFC 7240's <c>Prefer: return=minimal</c>: the client takes the room itself from its live refresh.</summary>
    public static bool PrefersMinimal(HttpRequest request) =>
        request.Headers["Prefer"].Any(v => v is not null && v.Split(',').Any(p => p.Trim().Equals("return=minimal", StringComparison.OrdinalIgnoreCase)));

    /// <summary>200 with my view (or the short answer); 404; 409 with the current <c>version</c>; 403 with a kind title; 400 naming the field (and <c>adviceLike</c>).</summary>
    public static Results<Ok<RoomStateDto>, Ok<RoomBriefDto>, NotFound, ProblemHttpResult, ValidationProblem> ToResult(RoomOutcome outcome) => outcome.Answer switch
    {
        RoomAnswer.Ok when outcome.Brief is { } brief => TypedResults.Ok(brief),
        RoomAnswer.Ok => TypedResults.Ok(outcome.State!),
        RoomAnswer.Stale => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: outcome.Title,
            detail: "Someone else acted in the room a moment ago. Here is the version to send next.",
            extensions: new Dictionary<string, object?> { ["version"] = outcome.Version }),
        RoomAnswer.NotYours => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: outcome.Title),
        RoomAnswer.Invalid => TypedResults.ValidationProblem(
            outcome.Errors!.Items.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "Some details need another look.",
            extensions: outcome.AdviceLike ? new Dictionary<string, object?> { ["adviceLike"] = true } : null),
        _ => TypedResults.NotFound(),
    };
}
