using System.Globalization;
using System.Text;
using Attune.Features.Account;
using Attune.Infrastructure.Charts;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Activations;

public static class ActivationsApi
{
    public const int DefaultLimit = 50, MaxLimit = 200;

    public static IServiceCollection AddActivations(this IServiceCollection services)
    {
        services.AddSingleton<MomentContent>();
        services.AddScoped<Activations>();
        services.AddScoped<Insights>();
        services.AddScoped<ProgressReport>();
        services.AddScoped<Privacy.IExportSection, ActivationsSection>();
        // Post: AddRazorPages (called later, in Program.cs) gives the options a new convention collection.
        services.PostConfigure<RazorPagesOptions>(o => o.Conventions.AddPageRoute("/Activations/Log", "/activations/{id:guid}/edit"));
        return services;
    }

    public static IEndpointRouteBuilder MapActivations(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/activations").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Activations");
        api.MapPost("", CreateAsync);
        api.MapGet("", ListAsync);
        api.MapGet("/words", (MomentContent words, Activations activations) => TypedResults.Ok(Words(words, activations)));
        api.MapGet("/{id:guid}", async Task<Results<Ok<ActivationDto>, NotFound>> (Guid id, CurrentPerson me, Activations activations, CancellationToken ct) =>
            await activations.GetAsync(me.Id, id, ct) is { } a ? TypedResults.Ok(a) : TypedResults.NotFound());
        api.MapPut("/{id:guid}", UpdateAsync);
        api.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, CurrentPerson me, Activations activations, CancellationToken ct) =>
            await activations.DeleteAsync(me.Id, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());

        var insights = app.MapGroup("/api/v1/insights").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Insights");
        insights.MapGet("/activations", async Task<Results<Ok<ActivationInsights>, ValidationProblem>> (CurrentPerson me, Insights service, CancellationToken ct,
            string? from = null, string? to = null, string? range = null) =>
        {
            var (period, errors) = await service.PeriodAsync(me.Id, from, to, range, ct);
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await service.ComputeAsync(me.Id, period!, ct));
        });
        insights.MapGet("/report", async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> (CurrentPerson me, Insights service, ProgressReport report, CancellationToken ct,
            string? from = null, string? to = null, string? range = null) =>
        {
            var (period, errors) = await service.PeriodAsync(me.Id, from, to, range, ct);
            if (errors.Any) return errors.ToProblem();
            if (!report.PdfAvailable) return TypedResults.Problem("PDFs need a font on the server; the report page works.", statusCode: 503);
            return TypedResults.File(report.Pdf(await report.BuildAsync(me.Id, period!, ct)), "application/pdf", "attune-progress-report.pdf");
        });
        return app;
    }

    public static ActivationWords Words(MomentContent words, Activations activations) =>
        new(words.Emotions, words.Needs, activations.Patterns.Select(p => (object)new { p.Code, p.Name }).ToList(),
            BodyMap.Regions.Select(r => (object)new { r.Id, r.Name, r.Side }).ToList());

    private static async Task<Results<Created<ActivationDto>, ValidationProblem>> CreateAsync(ActivationInput body, CurrentPerson me, Activations activations, CancellationToken ct)
    {
        var (a, errors) = await activations.CreateAsync(me.Id, body, ct);
        if (errors is not null) return errors.ToProblem();
        return TypedResults.Created($"/api/v1/activations/{a!.Id}", a);
    }

    private static async Task<Results<Ok<ActivationDto>, ValidationProblem, NotFound>> UpdateAsync(Guid id, ActivationInput body, CurrentPerson me, Activations activations, CancellationToken ct)
    {
        var (a, errors) = await activations.UpdateAsync(me.Id, id, body, ct);
        if (errors is not null) return errors.ToProblem();
        return a is null ? TypedResults.NotFound() : TypedResults.Ok(a);
    }

    /// <summary>Reads and checks the list filters shared by the API and the reaction log page.</summary>
    public static (DateOnly? From, DateOnly? To, string? Pattern, int Limit, (DateTime At, Guid Id)? After, FieldErrors Errors) ParseQuery(
        Activations activations, string? from, string? to, string? pattern, int? limit, string? cursor)
    {
        var errors = new FieldErrors();
        var (f, t) = (errors.Day("from", from), errors.Day("to", to));
        if (f is not null && t is not null && f > t) errors.Add("from", "The start date is after the end date.");
        if (!string.IsNullOrEmpty(pattern) && !activations.Patterns.Any(p => p.Code == pattern))
            errors.Add("pattern", "Patterns can be: " + string.Join(", ", activations.Patterns.Select(p => p.Code)) + ".");
        errors.Range("limit", limit, 1, MaxLimit);
        (DateTime, Guid)? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('_');
                after = (new DateTime(long.Parse(parts[0], CultureInfo.InvariantCulture), DateTimeKind.Utc), Guid.Parse(parts[1]));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException or ArgumentOutOfRangeException)
            {
                errors.Add("cursor", "This cursor isn't one we gave out. Start again without it.");
            }
        }
        return (f, t, string.IsNullOrEmpty(pattern) ? null : pattern, limit ?? DefaultLimit, after, errors);
    }

    public static string? Cursor((DateTime At, Guid Id)? next) =>
        next is { } n ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"{n.At.Ticks.ToString(CultureInfo.InvariantCulture)}_{n.Id}")) : null;

    private static async Task<Results<Ok<Page<ActivationDto>>, ValidationProblem>> ListAsync(CurrentPerson me, Activations activations, CancellationToken ct,
        string? from = null, string? to = null, string? pattern = null, int? limit = null, string? cursor = null)
    {
        var (f, t, p, take, after, errors) = ParseQuery(activations, from, to, pattern, limit, cursor);
        if (errors.Any) return errors.ToProblem();
        var (items, next) = await activations.ListAsync(me.Id, f, t, p, take, after, ct);
        return TypedResults.Ok(new Page<ActivationDto>(items, Cursor(next)));
    }
}

/// <summary>The person's activations in <c>/api/v1/me/export</c>, decrypted.</summary>
internal sealed class ActivationsSection(Activations activations) : Privacy.IExportSection
{
    public string Name => "activations";

    public async Task<object?> ReadAsync(Data.AttuneDb db, string userId, CancellationToken ct)
    {
        var all = new List<ActivationDto>();
        (DateTime, Guid)? after = null;
        do
        {
            var (items, next) = await activations.ListAsync(userId, null, null, null, ActivationsApi.MaxLimit, after, ct);
            all.AddRange(items);
            after = next;
        } while (after is not null);
        return all;
    }
}
