using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Circle;

/// <summary>One relationship's settings, for whichever side is looking; ending it from either side.</summary>
public sealed class MemberModel(CircleService circle) : CirclePageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public bool CanReceiveReaches { get; set; }
    [BindProperty] public bool CanSeeShared { get; set; }
    [BindProperty] public int? Order { get; set; }
    [BindProperty] public string? AvailableFrom { get; set; }
    [BindProperty] public string? AvailableTo { get; set; }
    [BindProperty] public bool TalkNowAnytime { get; set; }

    public MemberDto Member { get; private set; } = null!;
    public int SupporterCount { get; private set; }

    private async Task<bool> LoadAsync(Guid memberId, CancellationToken ct)
    {
        var all = await circle.ListAsync(UserId, ct);
        SupporterCount = all.Supporters.Count;
        var found = all.Supporters.Concat(all.Supporting).FirstOrDefault(m => m.MemberId == memberId);
        if (found is null) return false;
        Member = found;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid memberId, CancellationToken ct)
    {
        if (!await LoadAsync(memberId, ct)) return NotFound();
        (Name, CanReceiveReaches, CanSeeShared, Order) = (Member.Name, Member.CanReceiveReaches, Member.CanSeeShared, Member.Order);
        (AvailableFrom, AvailableTo, TalkNowAnytime) = (Member.Availability.From, Member.Availability.To, Member.Availability.TalkNowAnytime);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid memberId, CancellationToken ct)
    {
        if (!await LoadAsync(memberId, ct)) return NotFound();
        var patch = Member.Role == "supporter"
            ? new MemberPatch(Name ?? "", CanReceiveReaches, CanSeeShared, Order, null, null, null)
            : new MemberPatch(null, null, null, null, AvailableFrom ?? "", AvailableTo ?? "", TalkNowAnytime);
        var (_, errors) = await circle.UpdateAsync(UserId, memberId, patch, ct);
        if (errors is not null)
        {
            Show(errors);
            return Page();
        }
        TempData["Status"] = "Saved.";
        return Redirect($"/circle/{memberId}");
    }

    public async Task<IActionResult> OnPostEndAsync(Guid memberId, CancellationToken ct)
    {
        if (!await circle.EndAsync(UserId, memberId, ct)) return NotFound();
        TempData["Status"] = "That connection has ended. Nothing more is shared between you through Attune.";
        return RedirectToPage("/Circle/Index");
    }
}
