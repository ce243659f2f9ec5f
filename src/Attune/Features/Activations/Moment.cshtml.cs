using System.Globalization;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Activations;

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
