using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attune.Features.Journey;

public static class JourneyApi
{
    public static IServiceCollection AddJourney(this IServiceCollection services)
    {
        services.AddSingleton<Practices>();
        services.AddScoped<JourneyRules>();
        services.AddScoped<PracticeSessions>();
        services.AddScoped<Privacy.IExportSection, PracticeSessionsSection>();
        services.AddScoped<Sharing.IShareableItems, PracticeSharing>();
        return services;
    }

    public static IEndpointRouteBuilder MapJourney(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Journey");
        api.MapGet("/journey", async (CurrentPerson me, JourneyRules rules, CancellationToken ct) =>
            TypedResults.Ok(new { Phases = await rules.StatusAsync(me.Id, ct) }));
        api.MapGet("/practices/{slug}", Results<Ok<Practice>, NotFound> (string slug, Practices practices) =>
            practices.Find(slug) is { } p ? TypedResults.Ok(p) : TypedResults.NotFound());
        api.MapPost("/practices/{slug}/sessions", StartAsync);
        api.MapGet("/practice-sessions/{id:guid}", async Task<Results<Ok<SessionDto>, NotFound>> (Guid id, CurrentPerson me, PracticeSessions sessions, CancellationToken ct) =>
            await sessions.GetAsync(me.Id, id, ct) is { } s ? TypedResults.Ok(s) : TypedResults.NotFound());
        api.MapPut("/practice-sessions/{id:guid}", UpdateAsync);
        // Opening or closing a phase for a person is their therapist's, within care, with the
        // journey consent and a reason the person reads (Caseload.SetPhaseAsync). Administrators
        // have no such power: they verify therapists and moderate, and never act on a person.
        return app;
    }


    private static async Task<Results<Created<SessionDto>, ValidationProblem, NotFound, ProblemHttpResult>> StartAsync(
        string slug, StartRequest body, CurrentPerson me, PracticeSessions sessions, CancellationToken ct)
    {
        var (outcome, session, errors, lockedReason) = await sessions.StartAsync(me.Id, slug, body.SudsBefore, ct);
        if (outcome == PracticeSessions.StartOutcome.NotFound) return TypedResults.NotFound();
        if (outcome == PracticeSessions.StartOutcome.Locked)
            return TypedResults.Problem(lockedReason, statusCode: StatusCodes.Status409Conflict, title: "This part of the journey isn't open yet.");
        if (errors is not null) return errors.ToProblem();
        return TypedResults.Created($"/api/v1/practice-sessions/{session!.Id}", session);
    }

    private static async Task<Results<Ok<SessionDto>, ValidationProblem, NotFound>> UpdateAsync(
        Guid id, SessionUpdate body, CurrentPerson me, PracticeSessions sessions, CancellationToken ct)
    {
        var (session, errors) = await sessions.UpdateAsync(me.Id, id, body, ct);
        if (errors is not null) return errors.ToProblem();
        return session is null ? TypedResults.NotFound() : TypedResults.Ok(session);
    }
}
