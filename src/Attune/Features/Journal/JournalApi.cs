using System.Globalization;
using System.Text;
using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

public static class JournalApi
{
    /// <summary>Entries carry drawings and photos as base64, so they may be bigger than other requests.</summary>
    public const long MaxRequestBytes = 8 * 1024 * 1024;

    public static IServiceCollection AddJournal(this IServiceCollection services)
    {
        services.AddSingleton<Prompts>();
        services.AddSingleton<CrisisLanguage>();
        services.AddSingleton<JournalIndex>();
        services.AddSingleton<Infrastructure.IPersonCache>(sp => sp.GetRequiredService<JournalIndex>());
        services.AddScoped<Journal>();
        services.AddScoped<JournalExport>();
        services.AddSingleton<ExportGate>();
        services.AddScoped<PromptSuggestions>();
        services.AddScoped<Privacy.IExportSection, JournalSection>();
        services.AddScoped<Sharing.IShareableItems, JournalSharing>();
        // Post: AddRazorPages (called later, in Program.cs) gives the options a new convention collection.
        services.PostConfigure<RazorPagesOptions>(o => o.Conventions.AddPageRoute("/Journal/Editor", "/journal/{id:guid}/edit"));
        return services;
    }

    public static IEndpointRouteBuilder MapJournal(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/journal").RequireAuthorization(AccountApi.ApiPolicy).WithTags("Journal");
        api.MapPost("", CreateAsync).WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes));
        api.MapGet("", ListAsync);
        api.MapGet("/{id:guid}", async Task<Results<Ok<JournalEntryDto>, NotFound>> (Guid id, CurrentPerson me, Journal journal, CancellationToken ct) =>
            await journal.GetAsync(me.Id, id, ct) is { } e ? TypedResults.Ok(e) : TypedResults.NotFound());
        api.MapPut("/{id:guid}", UpdateAsync).WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes));
        api.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (Guid id, CurrentPerson me, Journal journal, CancellationToken ct) =>
            await journal.DeleteAsync(me.Id, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound());
        api.MapGet("/{id:guid}/image", async Task<Results<FileContentHttpResult, NotFound>> (Guid id, CurrentPerson me, Journal journal, CancellationToken ct) =>
            await journal.ImageAsync(me.Id, id, ct) is { } img ? TypedResults.File(img.Bytes, img.ContentType) : TypedResults.NotFound());
        api.MapGet("/tags", async (CurrentPerson me, AttuneDb db, JournalIndex index, CancellationToken ct) =>
            TypedResults.Ok(new { Items = await index.TagsAsync(db, me.Id, ct) }));
        api.MapGet("/prompts", (Prompts prompts) => TypedResults.Ok(new { Items = prompts.All }));
        api.MapGet("/prompts/suggestion", async (CurrentPerson me, PromptSuggestions suggestions, CancellationToken ct) =>
            TypedResults.Ok(await suggestions.SuggestAsync(me.Id, ct)));
        api.MapGet("/export", ExportAsync);
        return app;
    }


    private static async Task<Results<Created<JournalEntryDto>, ValidationProblem>> CreateAsync(JournalInput body, CurrentPerson me, Journal journal, CancellationToken ct)
    {
        var (entry, errors) = await journal.CreateAsync(me.Id, body, ct);
        if (errors is not null) return errors.ToProblem();
        return TypedResults.Created($"/api/v1/journal/{entry!.Id}", entry);
    }

    private static async Task<Results<Ok<JournalEntryDto>, ValidationProblem, NotFound>> UpdateAsync(Guid id, JournalInput body, CurrentPerson me, Journal journal, CancellationToken ct)
    {
        var (entry, errors) = await journal.UpdateAsync(me.Id, id, body, ct);
        if (errors is not null) return errors.ToProblem();
        return entry is null ? TypedResults.NotFound() : TypedResults.Ok(entry);
    }

    public const int DefaultLimit = 50, MaxLimit = 200;

    /// <summary>Reads and checks the list filters shared by the API and the journal page.</summary>
    public static (JournalQuery Query, int Limit, (DateTimeOffset At, Guid Id)? After, FieldErrors Errors) ParseQuery(
        string? q, string? kind, string? tag, string? from, string? to, string? parked, int? limit, string? cursor)
    {
        var errors = new FieldErrors();
        if (!string.IsNullOrEmpty(kind) && !EntryKinds.All.Contains(kind)) errors.Add("kind", "Entries can be one of: " + string.Join(", ", EntryKinds.All) + ".");
        DateTimeOffset? Date(string field, string? value, bool endOfDay)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return new DateTimeOffset(day.ToDateTime(endOfDay ? TimeOnly.MaxValue : TimeOnly.MinValue), TimeSpan.Zero);
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
            errors.Add(field, "Please give a date like 2026-11-22, or a date and time with its offset.");
            return null;
        }
        var (f, t) = (Date("from", from, false), Date("to", to, true));
        if (f is not null && t is not null && f > t) errors.Add("from", "The start date is after the end date.");
        bool? parkedFilter = parked switch { null or "" => null, "true" => true, "false" => false, _ => null };
        if (parked is not (null or "" or "true" or "false")) errors.Add("parked", "Please use true or false.");
        errors.Range("limit", limit, 1, MaxLimit);
        (DateTimeOffset, Guid)? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('_');
                after = (new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero), Guid.Parse(parts[1]));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException or ArgumentOutOfRangeException)
            {
                errors.Add("cursor", "This cursor isn't one we gave out. Start again without it.");
            }
        }
        var query = new JournalQuery(string.IsNullOrWhiteSpace(q) ? null : q, string.IsNullOrEmpty(kind) ? null : kind, string.IsNullOrWhiteSpace(tag) ? null : tag.Trim(), f, t, parkedFilter);
        return (query, limit ?? DefaultLimit, after, errors);
    }

    public static (List<JournalMatch> Items, string? Next) PageOf(List<JournalMatch> all, int limit, (DateTimeOffset At, Guid Id)? after)
    {
        IEnumerable<JournalMatch> rest = all;
        if (after is { } a) rest = all.SkipWhile(e => e.CreatedAt > a.At || (e.CreatedAt == a.At && e.Id.CompareTo(a.Id) >= 0));
        var items = rest.Take(limit + 1).ToList();
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            var last = items[^1];
            next = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}_{last.Id}"));
        }
        return (items, next);
    }

    private static async Task<Results<Ok<Page<JournalEntryDto>>, ValidationProblem>> ListAsync(
        CurrentPerson me, AttuneDb db, Journal journal, JournalIndex index, CancellationToken ct,
        string? q = null, string? kind = null, string? tag = null, string? from = null, string? to = null, string? parked = null, int? limit = null, string? cursor = null)
    {
        var (query, take, after, errors) = ParseQuery(q, kind, tag, from, to, parked, limit, cursor);
        if (errors.Any) return errors.ToProblem();
        var (page, next) = PageOf(await index.MatchAsync(db, me.Id, query, ct), take, after);
        return TypedResults.Ok(new Page<JournalEntryDto>(await index.EntriesAsync(db, journal, me.Id, page.Select(m => m.Id).ToList(), ct), next));
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        CurrentPerson me, JournalExport export, ExportGate gate, AttuneDb db, CancellationToken ct, string format = "zip")
    {
        if (format is not ("zip" or "pdf")) return new FieldErrors().Add("format", "Please choose zip (Markdown files) or pdf.").ToProblem();
        using var running = gate.TryStart(me.Id);
        if (running is null) return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: ExportGate.BusyTitle, detail: ExportGate.BusyDetail);
        var zone = await me.ZoneAsync(ct);
        if (format == "pdf")
        {
            if (!export.PdfAvailable) return TypedResults.Problem("PDFs need a font on the server; the Markdown zip works.", statusCode: 503);
            return TypedResults.File(await export.PdfAsync(me.Id, zone, ct), "application/pdf", "attune-journal.pdf");
        }
        return TypedResults.File(await export.ZipAsync(me.Id, zone, ct), "application/zip", "attune-journal.zip");
    }
}
