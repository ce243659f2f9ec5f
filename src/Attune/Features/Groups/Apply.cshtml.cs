using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>Asking to join: the facilitator's questions, answered for them alone, and two choices about what else they may see.</summary>
public sealed class ApplyModel(GroupsService groups, Applications applications) : SignedInPageModel
{
    public GroupDto Group { get; private set; } = null!;
    [BindProperty] public List<string> Answers { get; set; } = [];
    [BindProperty] public bool ShareMeasures { get; set; }
    [BindProperty] public bool TherapistKnows { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        // The facilitator, members and those who already applied have nothing to apply for.
        if (await groups.GetAsync(UserId, id, ct) is not { Role: null } g) return NotFound();
        Group = g;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await groups.GetAsync(UserId, id, ct) is not { } g) return NotFound();
        Group = g;
        var (application, errors) = await applications.ApplyAsync(UserId, id, new ApplicationInput(Answers, ShareMeasures, TherapistKnows), ct);
        if (errors is not null) { Show(errors); return Page(); }
        if (application is null) return NotFound();
        TempData["Status"] = application.Status == "accepted"
            ? "You're in again for this cycle. Read the agreements to join."
            : "Your application is on its way. The facilitator reads it and answers; you'll see it here.";
        return Redirect("/groups/mine");
    }
}
