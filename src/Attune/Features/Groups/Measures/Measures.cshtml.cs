using Attune.Features.Groups.Endings;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups.Measures;

/// <summary>
/// A member's own check-ins through the cycle (their choice, their chart), or, for the facilitator,
/// the group's change in aggregate and the numbers members chose to share.
/// </summary>
public sealed class MeasuresModel(GroupMeasures measures, GroupEndings endings) : SignedInPageModel
{
    public MeasuresDto Measures { get; private set; } = null!;
    public string Title { get; private set; } = "";

    [BindProperty] public bool Consent { get; set; }
    [BindProperty] public bool ShareOwnNumbers { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, [FromServices] Board.Insiders insiders, CancellationToken ct)
    {
        if (await measures.GetAsync(UserId, id, ct) is not { } m || await insiders.OfAsync(UserId, id, ct) is not { } inside) return NotFound();
        Measures = m;
        Title = inside.Group.Title;
        return Page();
    }

    public async Task<IActionResult> OnPostChoicesAsync(Guid id, CancellationToken ct)
    {
        var (settings, errors) = await endings.UpdateAsync(UserId, id, new MembershipInput(Consent, Consent && ShareOwnNumbers, null), ct);
        if (settings is null && errors is null) return NotFound();
        TempData["Status"] = errors is not null ? errors.Items.First().Message
            : settings!.MeasuresConsent ? "Saved. You can change this whenever you like." : "Saved. The group's check-ins are off for you; nothing more will be asked.";
        return Redirect($"/groups/{id}/measures");
    }

    public async Task<IActionResult> OnPostAddLatestAsync(Guid id, CancellationToken ct)
    {
        // Someone outside the group gets 404 here too, not a redirect that answers the same for any group.
        if (await measures.GetAsync(UserId, id, ct) is null) return NotFound();
        var added = await measures.AddLatestAsync(UserId, id, ct);
        TempData["Status"] = added > 0 ? "Added. Thank you; your results are part of the group's picture now." : "There was no new result to add. You could take a check-in first.";
        return Redirect($"/groups/{id}/measures");
    }
}
