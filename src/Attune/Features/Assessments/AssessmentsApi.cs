using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Assessments;

public static class AssessmentsApi
{
    public static IServiceCollection AddAssessments(this IServiceCollection services)
    {
        services.AddSingleton<Instruments>();
        services.AddScoped<CheckIns>();
        services.AddScoped<Privacy.IExportSection, CheckInsSection>();
        services.AddScoped<Sharing.IShareableItems, CheckInSharing>();
        return services;
    }

    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/assessments").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Check-ins");
        api.MapGet("", (Instruments instruments) => TypedResults.Ok(new Page<Instrument>(instruments.All, null)));
        api.MapPost("/{instrument}/responses", PostAsync);
        api.MapGet("/{instrument}/responses", ListAsync);
        api.MapGet("/{instrument}/responses/{id:guid}", async Task<Results<Ok<CheckInDto>, NotFound>> (string instrument, Guid id, CurrentPerson me, CheckIns checkIns, CancellationToken ct) =>
            await checkIns.FindAsync(me.Id, id, withAnswers: true, ct) is { } found && found.Instrument == instrument
                ? TypedResults.Ok(found) : TypedResults.NotFound());
        return app;
    }

    private static async Task<Results<Created<CheckInDto>, ValidationProblem, NotFound>> PostAsync(
        string instrument, ResponseRequest body, CurrentPerson me, Instruments instruments, CheckIns checkIns, CancellationToken ct)
    {
        if (instruments.Find(instrument) is not { } found) return TypedResults.NotFound();
        var errors = Instruments.Validate(found, body.Answers);
        if (errors.Any) return errors.ToProblem();
        var saved = await checkIns.SaveAsync(me.Id, found, body.Answers!, ct);
        return TypedResults.Created($"/api/v1/assessments/{instrument}/responses/{saved.Id}", saved);
    }

    private static async Task<Results<Ok<Page<CheckInDto>>, NotFound>> ListAsync(string instrument, CurrentPerson me, Instruments instruments, CheckIns checkIns, CancellationToken ct)
    {
        if (instruments.Find(instrument) is null) return TypedResults.NotFound();
        var list = await checkIns.ListAsync(me.Id, instrument, ct);
        list.Reverse();
        return TypedResults.Ok(new Page<CheckInDto>(list, null));
    }
}
