using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Journey;

public sealed class PracticeModel(Practices practices, JourneyRules rules, PracticeSessions sessions) : SignedInPageModel
{
    public Practice Practice { get; private set; } = null!;
    public string? LockedReason { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        if (practices.Find(slug) is not { } practice) return NotFound();
        Practice = practice;
        LockedReason = (await rules.StatusAsync(UserId, ct)).First(p => p.Number == practice.Phase).LockedReason;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, int? sudsBefore, CancellationToken ct)
    {
        if (practices.Find(slug) is not { } practice) return NotFound();
        Practice = practice;
        var (outcome, session, errors, locked) = await sessions.StartAsync(UserId, slug, sudsBefore, ct);
        if (outcome == PracticeSessions.StartOutcome.Locked)
        {
            LockedReason = locked;
            return Page();
        }
        if (errors is not null)
        {
            ModelState.AddModelError("sudsBefore", "Please choose a number from 0 to 10 for how you feel right now.");
            return Page();
        }
        return Redirect($"/practices/sessions/{session!.Id}");
    }
}
