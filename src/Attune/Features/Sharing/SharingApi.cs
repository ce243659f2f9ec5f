using Attune.Infrastructure.Web;
using System.Security.Claims;
using Attune.Features.Account;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Sharing;

/// <summary>
/// The sharing slice: shares and witness reflections, over the item types and channels other
/// slices register (<see cref="IShareableItems"/>, <see cref="IShareChannel"/>).
/// </summary>
public static class SharingApi
{
    public static IServiceCollection AddSharing(this IServiceCollection services)
    {
        services.AddScoped<Shares>();
        services.AddSingleton<ShareNews>();
        return services;
    }

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder app)
    {
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
        return app;
    }

    private static string Id(ClaimsPrincipal user) => CurrentPerson.IdOf(user)!;
}
