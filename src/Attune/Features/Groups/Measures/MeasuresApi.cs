using System.Security.Claims;
using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Groups.Measures;

/// <summary>PHQ-9 and GAD-7 through a group's cycle, with consent (docs/groups.md, "Measures").</summary>
public static class MeasuresApi
{
    public static IServiceCollection AddGroupMeasures(this IServiceCollection services)
    {
        services.AddScoped<GroupMeasures>();
        services.AddScoped<Assessments.ICheckInViewers, GroupCheckInViewers>();
        return services;
    }

    public static IEndpointRouteBuilder MapGroupMeasures(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/groups/{id:guid}/measures").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Groups");
        group.MapGet("", async Task<Results<Ok<MeasuresDto>, NotFound>> (Guid id, ClaimsPrincipal user, GroupMeasures measures, CancellationToken ct) =>
            await measures.GetAsync(Me(user), id, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound());
        group.MapPost("", async Task<Results<Created<MeasurePointDto>, ValidationProblem, NotFound>> (Guid id, MeasureLinkInput body, ClaimsPrincipal user, GroupMeasures measures, CancellationToken ct) =>
        {
            var (point, errors) = await measures.LinkAsync(Me(user), id, body, ct);
            if (errors is not null) return errors.ToProblem();
            return point is null ? TypedResults.NotFound() : TypedResults.Created($"/api/v1/groups/{id}/measures", point);
        });
        return app;
    }

    private static string Me(ClaimsPrincipal user) => CurrentPerson.IdOf(user)!;
}
