using Attune.Features.Safety;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Activations;

/// <summary>One logged reaction, with a practice that fits it. Someone else's answers 404.</summary>
public sealed class ItemModel(Activations activations, SafetyPlans plans, CrisisResources crisis, Safety.IReachOffers offers) : ActivationPageModel
{
    public ActivationDto Activation { get; private set; } = null!;
    public PracticeSuggestion? Suggestion { get; private set; }
    public bool JustLogged { get; private set; }
    public bool Reach { get; private set; }
    public SafetyPlanDto Plan { get; private set; } = SafetyPlanDto.Empty;
    public CrisisAnswer Crisis { get; private set; } = null!;
    public Safety.ReachOffer Offer { get; private set; } = new(0);
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
            Offer = await offers.OfferAsync(UserId, ct);
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
