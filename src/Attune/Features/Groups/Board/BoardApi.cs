using System.Security.Claims;
using Attune.Features.Account;
using Attune.Features.Groups.Attendance;
using Attune.Features.Groups.Endings;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Groups.Board;

/// <summary>The between-meetings board, group sharing, attendance and endings (docs/groups.md).</summary>
public static class BoardApi
{
    public static IServiceCollection AddGroupBoard(this IServiceCollection services)
    {
        services.AddScoped<Insiders>();
        services.AddScoped<BoardService>();
        services.AddScoped<FromOurMeetings>();
        services.AddScoped<GroupNotices>();
        services.AddScoped<MeetingAttendance>();
        services.AddScoped<GroupEndings>();
        // After the circle's and care's: Sharing asks the channels in the order they were registered.
        services.AddScoped<Sharing.IShareChannel, GroupShareChannel>();
        services.AddJobHandler<MeetingClosedJob>(GroupJobs.Closed, GroupJobs.Lane);
        services.AddJobHandler<GroupRetentionJob>(GroupJobs.Retention, GroupJobs.Lane);
        return services;
    }

    public static IEndpointRouteBuilder MapGroupBoard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/groups/{id:guid}").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Groups");

        group.MapGet("/board", async Task<Results<Ok<BoardDto>, NotFound>> (Guid id, string? cursor, ClaimsPrincipal user, BoardService board, CancellationToken ct) =>
            await board.ListAsync(Me(user), id, cursor, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound());
        group.MapPost("/board", async Task<Results<Created<BoardPostDto>, ValidationProblem, ProblemHttpResult, NotFound>> (Guid id, BoardPostInput body, ClaimsPrincipal user, BoardService board, CancellationToken ct) =>
            Answer(await board.PostAsync(Me(user), id, body, ct), post => TypedResults.Created($"/api/v1/groups/{id}/board", post)));
        group.MapPost("/board/{postId:guid}/witness", async Task<Results<Ok<BoardPostDto>, ValidationProblem, ProblemHttpResult, NotFound>> (Guid id, Guid postId, BoardWitnessInput body, ClaimsPrincipal user, BoardService board, CancellationToken ct) =>
            Answer(await board.WitnessAsync(Me(user), id, postId, body, ct), TypedResults.Ok));
        group.MapDelete("/board/{postId:guid}", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult, NotFound>> (Guid id, Guid postId, ClaimsPrincipal user, BoardService board, CancellationToken ct) =>
            Answer(await board.DeleteAsync(Me(user), id, postId, ct), _ => TypedResults.NoContent()));

        group.MapPut("/meetings/{meetingId:guid}/attendance", async Task<Results<Ok<AttendanceDto>, ValidationProblem, NotFound>> (Guid id, Guid meetingId, AttendanceInput body, ClaimsPrincipal user, MeetingAttendance attendance, CancellationToken ct) =>
        {
            var (dto, errors) = await attendance.SetAsync(Me(user), id, meetingId, body, ct);
            if (errors is not null) return errors.ToProblem();
            return dto is null ? TypedResults.NotFound() : TypedResults.Ok(dto);
        });
        group.MapPatch("/membership", async Task<Results<Ok<MembershipSettingsDto>, ValidationProblem, NotFound>> (Guid id, MembershipInput body, ClaimsPrincipal user, GroupEndings endings, CancellationToken ct) =>
        {
            var (dto, errors) = await endings.UpdateAsync(Me(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return dto is null ? TypedResults.NotFound() : TypedResults.Ok(dto);
        });
        group.MapPost("/close", async Task<Results<Ok<GroupEndingDto>, ProblemHttpResult, NotFound>> (Guid id, ClaimsPrincipal user, GroupEndings endings, CancellationToken ct) =>
        {
            var (ending, notYours) = await endings.CloseAsync(Me(user), id, ct);
            if (notYours) return TypedResults.Problem(title: "Only the facilitator can close the group. You can leave it whenever you like.", statusCode: StatusCodes.Status403Forbidden);
            return ending is null ? TypedResults.NotFound() : TypedResults.Ok(ending);
        });
        group.MapPost("/follow-up", async Task<Results<Created<GroupDto>, ValidationProblem, ProblemHttpResult, NotFound>> (Guid id, FollowUpInput body, ClaimsPrincipal user, GroupEndings endings, CancellationToken ct) =>
        {
            var (created, errors, notYours) = await endings.FollowUpAsync(Me(user), id, body, ct);
            if (notYours) return TypedResults.Problem(title: "Only the facilitator can open a new cycle.", statusCode: StatusCodes.Status403Forbidden);
            if (errors is not null) return errors.ToProblem();
            return created is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/groups/{created.Id}", created);
        });
        return app;
    }

    /// <summary>A board answer as HTTP: 404, 403 with a kind title, 400 naming the field (with <c>adviceLike</c> when that is why), or the value.</summary>
    private static Results<TOk, ValidationProblem, ProblemHttpResult, NotFound> Answer<T, TOk>(BoardResult<T> result, Func<T, TOk> ok) where TOk : IResult => result.Answer switch
    {
        BoardAnswer.NotFound => TypedResults.NotFound(),
        BoardAnswer.Forbidden => TypedResults.Problem(title: result.Why, statusCode: StatusCodes.Status403Forbidden),
        BoardAnswer.Invalid => TypedResults.ValidationProblem(
            result.Errors!.Items.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            title: "Some details need another look.",
            extensions: result.AdviceLike ? new Dictionary<string, object?> { ["adviceLike"] = true } : null),
        _ => ok(result.Value!),
    };

    private static string Me(ClaimsPrincipal user) => CurrentPerson.IdOf(user)!;
}
