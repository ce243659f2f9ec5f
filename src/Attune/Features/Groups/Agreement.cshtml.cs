using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>Before the first meeting: the agreements, and the name the group will see. Only then a member.</summary>
public sealed class AgreementModel(GroupsService groups, Membership membership) : SignedInPageModel
{
    public GroupDto Group { get; private set; } = null!;
    [BindProperty] public bool Accept { get; set; }
    [BindProperty] public string? GroupName { get; set; }
    [BindProperty] public bool MeasuresConsent { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await groups.GetAsync(UserId, id, ct) is not { Role: "applicant" or "member" } g) return NotFound();
        Group = g;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await groups.GetAsync(UserId, id, ct) is not { Role: "applicant" or "member" } g) return NotFound();
        Group = g;
        var (member, errors) = await membership.AgreeAsync(UserId, id, new AgreementInput(Accept, GroupName, MeasuresConsent), ct);
        if (errors is not null) { Show(errors); return Page(); }
        if (member is null) return NotFound();
        TempData["Status"] = $"Welcome. The group will know you as {member.Name}.";
        return Redirect($"/groups/{id}");
    }
}
