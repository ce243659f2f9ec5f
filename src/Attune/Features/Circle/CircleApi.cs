using System.Security.Claims;
using Attune.Features.Account;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Circle;

public static class CircleApi
{
    public static IServiceCollection AddCircle(this IServiceCollection services)
    {
        services.AddScoped<CircleService>();
        services.AddScoped<Privacy.IExportSection, CircleSection>();
        return services;
    }

    public static IEndpointRouteBuilder MapCircle(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/circle").RequireAuthorization(AccountSetup.ApiPolicy).WithTags("Circle");
        api.MapGet("", async (ClaimsPrincipal user, CircleService circle, CancellationToken ct) => TypedResults.Ok(await circle.ListAsync(Id(user), ct)));
        api.MapPost("/invitations", async Task<Results<Created<InvitationDto>, ValidationProblem>> (InvitationInput body, ClaimsPrincipal user, CircleService circle, CancellationToken ct) =>
        {
            var (invitation, _, errors) = await circle.InviteAsync(Id(user), body, ct);
            if (errors is not null) return errors.ToProblem();
            return TypedResults.Created($"/api/v1/circle/invitations/{invitation!.Id}", invitation);
        });
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

    private static string Id(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;
}

/// <summary>The person's circle in <c>/api/v1/me/export</c>: who supports them, whom they support, invitations waiting.</summary>
internal sealed class CircleSection(CircleService circle) : Privacy.IExportSection
{
    public string Name => "circle";

    public async Task<object?> ReadAsync(Data.AttuneDb db, string userId, CancellationToken ct) => await circle.ListAsync(userId, ct);
}
