using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Safety;

public static class SafetyApi
{
    public const string DefaultQuickExitUrl = "https://www.bbc.com/weather";

    public static IServiceCollection AddSafety(this IServiceCollection services)
    {
        services.AddSingleton<CrisisResources>();
        services.AddScoped<SafetyPlans>();
        services.AddSingleton<SafetyPlanPdf>();
        services.AddScoped<Attune.Features.Privacy.IExportSection, SafetyPlanSection>();
        return services;
    }

    /// <summary>Where quick exit goes: somewhere ordinary (<c>Attune:QuickExitUrl</c>).</summary>
    public static string QuickExitUrl(HttpContext context) =>
        context.RequestServices.GetRequiredService<IConfiguration>()["Attune:QuickExitUrl"] is { Length: > 0 } url ? url : DefaultQuickExitUrl;

    public static IEndpointRouteBuilder MapSafety(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Safety");
        api.MapGet("/crisis-resources", CrisisResourcesAsync);
        api.MapGet("/safety-plan", async (CurrentPerson me, SafetyPlans plans, CancellationToken ct) =>
            TypedResults.Ok(await plans.GetAsync(me.Id, ct)));
        api.MapPut("/safety-plan", PutPlanAsync);
        return app;
    }

    private static async Task<Results<Ok<SafetyPlanDto>, ValidationProblem>> PutPlanAsync(SafetyPlanDto body, CurrentPerson me, SafetyPlans plans, CancellationToken ct)
    {
        var (clean, errors) = SafetyPlans.Validate(body);
        if (errors.Any) return errors.ToProblem();
        return TypedResults.Ok(await plans.SaveAsync(me.Id, clean, ct));
    }

    private static async Task<Ok<CrisisAnswer>> CrisisResourcesAsync(string? country, CurrentPerson me, CrisisResources crisis, CancellationToken ct) =>
        TypedResults.Ok(crisis.For(await me.CountryAsync(country, ct)));
}
