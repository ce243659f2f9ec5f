using Attune.Features.Journey;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>
/// A group's page: the public offering for anyone when it is listed; for the people in it, the next
/// meeting, the room when it is open, the board and the agreements. Anyone else gets 404.
/// </summary>
[AllowAnonymous]
public sealed class GroupModel(GroupsService groups, Membership membership, JourneyRules journey) : SignedInPageModel
{
    public GroupDto Group { get; private set; } = null!;
    public IReadOnlyList<MemberDto> Members { get; private set; } = [];
    /// <summary>Set when the viewer's journey hasn't reached the part the group suggests: a gentle word, not a lock.</summary>
    public int? ViewerPart { get; private set; }
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var viewer = SignedIn ? UserId : null;
        if (await groups.GetAsync(viewer, id, ct) is not { } g) return NotFound();
        Group = g;
        if (viewer is not null && g.Role is "facilitator" or "member") Members = await membership.ListAsync(viewer, id, ct) ?? [];
        if (viewer is not null && g.Part is { } part && g.Role != "facilitator")
        {
            var open = (await journey.StatusAsync(viewer, ct)).Where(p => p.Status != "locked").Select(p => p.Number).DefaultIfEmpty(1).Max();
            if (open < part) ViewerPart = open;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostLeaveAsync(Guid id, CancellationToken ct)
    {
        // The page is open to anyone, so its form can be posted signed out: that is a sign-in, not a server error.
        if (!SignedIn) return Challenge();
        if (await groups.GetAsync(UserId, id, ct) is not { MemberId: { } memberId }) return NotFound();
        var (done, _) = await membership.LeaveOrRemoveAsync(UserId, id, memberId, null, ct);
        if (!done) return NotFound();
        TempData["Status"] = "You've left the group. Your words there have been withdrawn. Thank you for the time you spent together.";
        return Redirect("/groups/mine");
    }
}
