using System.Globalization;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Activations;

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
