using System.Globalization;
using System.Security.Claims;
using Attune.Data;
using Attune.Features.Safety;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Activations;

/// <summary>What the reaction pages share: who is signed in and their time zone.</summary>
public abstract class ActivationPageModel : SignedInPageModel
{
    public TimeZoneInfo Zone { get; protected set; } = TimeZoneInfo.Utc;

    public string Local(DateTimeOffset at, string format = "ddd d MMM yyyy, HH:mm") =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>The reaction log: filters, and the person's activations newest first.</summary>
public sealed class IndexModel(Activations activations) : ActivationPageModel
{
    [BindProperty(SupportsGet = true)] public string? Pattern { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public List<ActivationDto> Items { get; private set; } = [];
    public string? Next { get; private set; }
    public IReadOnlyList<Assessments.Pattern> Patterns => activations.Patterns;
    public string PatternName(string code) => activations.Patterns.FirstOrDefault(p => p.Code == code)?.Name ?? code;

    public string NextUrl => QueryString.Create(new Dictionary<string, string?> { ["pattern"] = Pattern, ["from"] = From, ["to"] = To, ["cursor"] = Next }
        .Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = await Me.ZoneAsync(ct);
        var (from, to, pattern, limit, after, errors) = ActivationsApi.ParseQuery(activations, From, To, Pattern, 30, Cursor);
        if (errors.Any)
        {
            Show(errors);
            return;
        }
        (Items, var next) = await activations.ListAsync(UserId, from, to, pattern, limit, after, ct);
        Next = ActivationsApi.Cursor(next);
    }
}

/// <summary>
/// Quick capture, and changing a logged reaction. A plain form that works without script; only
/// "what happened" and "how strong" are required, everything else is folded away as optional.
/// </summary>
public sealed class LogModel(Activations activations, MomentContent words, TimeProvider clock) : ActivationPageModel
{
    [BindProperty] public string? Situation { get; set; }
    [BindProperty] public int? Intensity { get; set; }
    [BindProperty] public List<string> Emotions { get; set; } = [];
    [BindProperty] public string? OtherEmotions { get; set; }
    [BindProperty] public string? FeltAge { get; set; }
    [BindProperty] public List<string> BodyRegions { get; set; } = [];
    [BindProperty] public List<string> Patterns { get; set; } = [];
    [BindProperty] public string? Reaction { get; set; }
    [BindProperty] public string? Needed { get; set; }
    [BindProperty(Name = "response")] public string? DidOrCould { get; set; }
    [BindProperty] public string? OccurredAt { get; set; }

    public Guid? Id { get; private set; }
    public MomentContent Words => words;
    public IReadOnlyList<Assessments.Pattern> PatternList => activations.Patterns;
    public IEnumerable<string> WheelWords => words.Emotions.SelectMany(e => e.Words);

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        Zone = await Me.ZoneAsync(ct);
        if (id is { } existingId)
        {
            if (await activations.GetAsync(UserId, existingId, ct) is not { } a) return NotFound();
            Id = existingId;
            (Situation, Intensity, FeltAge, Reaction, Needed, DidOrCould) = (a.Situation, a.Intensity, a.FeltAge?.ToString(CultureInfo.InvariantCulture) ?? "", a.Reaction, a.Needed, a.Response);
            var wheel = WheelWords.ToHashSet(StringComparer.OrdinalIgnoreCase);
            Emotions = a.Emotions.Where(wheel.Contains).ToList();
            OtherEmotions = string.Join(", ", a.Emotions.Where(e => !wheel.Contains(e)));
            (BodyRegions, Patterns) = (a.BodyRegions.ToList(), a.Patterns.ToList());
            OccurredAt = Local(a.OccurredAt, "yyyy-MM-dd'T'HH:mm");
        }
        else
        {
            OccurredAt = Local(clock.GetUtcNow(), "yyyy-MM-dd'T'HH:mm");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        Zone = await Me.ZoneAsync(ct);
        Id = id;
        var errors = new FieldErrors();
        int? age = null;
        if (!string.IsNullOrEmpty(FeltAge) && FeltAge != "unsure")
        {
            if (int.TryParse(FeltAge, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) age = n;
            else errors.Add("feltAge", "Please choose an age from 0 to 18, or not sure.");
        }
        DateTimeOffset? at = null;
        if (!string.IsNullOrEmpty(OccurredAt))
        {
            if (DateTime.TryParseExact(OccurredAt, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                at = new DateTimeOffset(local, Zone.GetUtcOffset(local));
            else errors.Add("occurredAt", "Please give the date and time it happened.");
        }
        if (errors.Any)
        {
            Show(errors);
            return Page();
        }
        var emotions = Emotions.Concat((OtherEmotions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var input = new ActivationInput(at, Situation, Reaction, emotions, Intensity, age, BodyRegions, Patterns, Needed, DidOrCould, null);
        var (saved, problems) = id is { } existing ? await activations.UpdateAsync(UserId, existing, input, ct) : await activations.CreateAsync(UserId, input, ct);
        if (problems is not null)
        {
            Show(problems);
            return Page();
        }
        if (saved is null) return NotFound();
        TempData["Status"] = id is null ? "Logged. Well done for pausing to notice." : "Your changes are saved.";
        return Redirect($"/activations/{saved.Id}" + (id is null ? "?logged=true" : ""));
    }
}

/// <summary>One logged reaction, with a practice that fits it. Someone else's answers 404.</summary>
public sealed class ItemModel(Activations activations, SafetyPlans plans, CrisisResources crisis, Circle.CircleService circle) : ActivationPageModel
{
    public ActivationDto Activation { get; private set; } = null!;
    public PracticeSuggestion? Suggestion { get; private set; }
    public bool JustLogged { get; private set; }
    public bool Reach { get; private set; }
    public SafetyPlanDto Plan { get; private set; } = SafetyPlanDto.Empty;
    public CrisisAnswer Crisis { get; private set; } = null!;
    public Circle.ReachOffer Offer { get; private set; } = new(0);
    public string PatternName(string code) => activations.Patterns.FirstOrDefault(p => p.Code == code)?.Name ?? code;

    public async Task<IActionResult> OnGetAsync(Guid id, bool logged, string? next, CancellationToken ct)
    {
        if (await activations.GetAsync(UserId, id, ct) is not { } a) return NotFound();
        Activation = a;
        Zone = await Me.ZoneAsync(ct);
        JustLogged = logged;
        if (logged) Suggestion = await activations.SuggestAsync(UserId, a.Patterns, ct);
        Reach = next == "reach";
        if (Reach)
        {
            Plan = await plans.GetAsync(UserId, ct);
            Crisis = crisis.For(await Me.CountryAsync(ct));
            Offer = await circle.OfferAsync(UserId, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await activations.DeleteAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "That reaction is deleted.";
        return RedirectToPage("/Activations/Index");
    }
}

/// <summary>
/// In the moment: pause and breathe, name the age, ask what the younger self needs, hear a few
/// kind words, then choose what comes next. The choice saves the activation and leads on.
/// </summary>
public sealed class MomentModel(Activations activations, MomentContent words) : ActivationPageModel
{
    [BindProperty] public string? Situation { get; set; }
    [BindProperty] public int? Intensity { get; set; }
    [BindProperty] public string? FeltAge { get; set; }
    [BindProperty] public List<string> Needs { get; set; } = [];
    [BindProperty] public string? OtherNeed { get; set; }
    [BindProperty] public List<string> Patterns { get; set; } = [];
    [BindProperty] public string? Choice { get; set; }

    public MomentContent Words => words;
    public IReadOnlyList<Assessments.Pattern> PatternList => activations.Patterns;
    public string Reassurance { get; private set; } = "";

    public void OnGet() => Reassurance = words.ReassuranceFor([], Random.Shared.Next());

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Zone = await Me.ZoneAsync(ct);
        Reassurance = words.ReassuranceFor(Patterns, Random.Shared.Next());
        var errors = new FieldErrors();
        int? age = null;
        if (!string.IsNullOrEmpty(FeltAge) && FeltAge != "unsure")
        {
            if (int.TryParse(FeltAge, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) age = n;
            else errors.Add("feltAge", "Please choose an age from 0 to 18, or not sure.");
        }
        if (Choice is null || !Activations.Choices.Contains(Choice)) errors.Add("choice", "Please choose what you'd like to do next.");
        if (errors.Any)
        {
            Show(errors);
            return Page();
        }
        var needed = string.Join(", ", Needs.Concat(string.IsNullOrWhiteSpace(OtherNeed) ? [] : [OtherNeed.Trim()]));
        var input = new ActivationInput(null, Situation, null, null, Intensity, age, null, Patterns, needed.Length == 0 ? null : needed, null, Choice);
        var (saved, problems) = await activations.CreateAsync(UserId, input, ct);
        if (problems is not null)
        {
            Show(problems);
            return Page();
        }
        return Choice switch
        {
            "write" => Redirect($"/journal/new/letter?activation={saved!.Id}"),
            "reach" => Redirect($"/activations/{saved!.Id}?next=reach"),
            _ => Redirect($"/grounding?from=moment"),
        };
    }

    /// <summary>The phrases for each pattern, so the page's script can show one without a round trip.</summary>
    public string ReassuranceJson => System.Text.Json.JsonSerializer.Serialize(words.Reassurance);
}

/// <summary>Insights: charts and plain summaries over a chosen range.</summary>
public sealed class InsightsModel(Insights insights) : ActivationPageModel
{
    [BindProperty(SupportsGet = true)] public string? Range { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public ActivationInsights? Data { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (period, errors) = await insights.PeriodAsync(UserId, From, To, Range, ct);
        if (errors.Any)
        {
            Show(errors);
            (period, _) = await insights.PeriodAsync(UserId, null, null, null, ct);
        }
        Data = await insights.ComputeAsync(UserId, period!, ct);
    }
}

/// <summary>The progress report as a page, and as a PDF to download.</summary>
public sealed class ReportModel(Insights insights, ProgressReport report) : ActivationPageModel
{
    [BindProperty(SupportsGet = true)] public string? Range { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public ProgressReportData? Data { get; private set; }
    public bool PdfAvailable => report.PdfAvailable;
    public IEnumerable<string> Attributions => Data is null ? [] : report.Attributions(Data.Insights);

    private async Task<InsightPeriod> PeriodAsync(CancellationToken ct)
    {
        var (period, errors) = await insights.PeriodAsync(UserId, From, To, Range, ct);
        if (!errors.Any) return period!;
        Show(errors);
        return (await insights.PeriodAsync(UserId, null, null, null, ct)).Period!;
    }

    public async Task OnGetAsync(CancellationToken ct) => Data = await report.BuildAsync(UserId, await PeriodAsync(ct), ct);

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!report.PdfAvailable) return RedirectToPage();
        var period = await PeriodAsync(ct);
        if (!ModelState.IsValid) return BadRequest();
        return File(report.Pdf(await report.BuildAsync(UserId, period, ct)), "application/pdf", "attune-progress-report.pdf");
    }

    public string Query => QueryString.Create(new Dictionary<string, string?> { ["range"] = Range, ["from"] = From, ["to"] = To }
        .Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
