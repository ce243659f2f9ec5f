using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Journey;

/// <summary>
/// The practice runner. With JavaScript it shows one step at a time and saves as you type; without
/// it, the same form saves on submit. Someone else's session answers 404.
/// </summary>
public sealed class RunnerModel(Practices practices, PracticeSessions sessions, Safety.IReachOffers offers) : SignedInPageModel
{
    public Practice Practice { get; private set; } = null!;
    public SessionDto Session { get; private set; } = null!;
    /// <summary>For the pause when distress is high, and an ending that rose: whether anyone in the circle can be reached.</summary>
    public Safety.ReachOffer Offer { get; private set; } = new(0);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await sessions.GetAsync(UserId, id, ct) is not { } session || practices.Find(session.Practice) is not { } practice) return NotFound();
        (Session, Practice) = (session, practice);
        Offer = await offers.OfferAsync(UserId, ct);
        return Page();
    }

    /// <summary>Autosave from the runner script (JSON, with the antiforgery token in a header).</summary>
    public async Task<IActionResult> OnPostSaveAsync(Guid id, [FromBody] SessionUpdate update, CancellationToken ct)
    {
        var (session, errors) = await sessions.UpdateAsync(UserId, id, update, ct);
        if (errors is not null)
            return errors.ToPageProblem();
        return session is null ? NotFound() : new JsonResult(session);
    }

    /// <summary>The same save as a plain form post, for when scripts are off.</summary>
    public async Task<IActionResult> OnPostFormAsync(Guid id, int? sudsNow, int? sudsAfter, bool? completed, string? choice, CancellationToken ct)
    {
        if (await sessions.GetAsync(UserId, id, ct) is not { } existing || practices.Find(existing.Practice) is not { } practice) return NotFound();
        var answers = practice.Steps.Where(s => s.Prompt is not null)
            .ToDictionary(s => s.Id, s => (string?)Request.Form[$"answers[{s.Id}]"].ToString());
        var (session, errors) = await sessions.UpdateAsync(UserId, id, new SessionUpdate(answers, sudsNow, sudsAfter, completed, choice), ct);
        if (errors is not null)
        {
            TempData["Status"] = completed == true ? "Please rate how you feel at the end before finishing." : "Some answers were too long to save.";
            return Redirect($"/practices/sessions/{id}");
        }
        if (choice == "grounding") return Redirect("/grounding");
        if (choice == "reach") return Redirect("/reach");
        if (session!.CompletedAt is not null && completed == true) return Redirect($"/practices/sessions/{id}#ending-heading");
        TempData["Status"] = choice == "pause" ? "Your answers are saved. Take all the time you need." : "Saved.";
        return Redirect($"/practices/sessions/{id}");
    }
}
