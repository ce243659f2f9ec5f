using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>The facilitator's page: who may need a private word after the board, members (remove with a reason that goes to them alone), the invitation link, the listing.</summary>
public sealed class ManageModel(GroupsService groups, Membership membership, InvitationLinks links, Board.BoardService board) : SignedInPageModel
{
    /// <summary>Members who may need a private word after what they wrote on the board (never their words).</summary>
    public IReadOnlyList<Board.BoardAuthorDto> Attention { get; private set; } = [];

    public GroupDto Group { get; private set; } = null!;
    public IReadOnlyList<MemberDto> Members { get; private set; } = [];
    public string? NewLink { get; private set; }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await groups.GetAsync(UserId, id, ct) is not { Role: "facilitator" } g) return false;
        Group = g;
        Members = await membership.ListAsync(UserId, id, ct) ?? [];
        Attention = await board.AttentionForAsync(UserId, id, ct) ?? [];
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid memberId, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var (done, errors) = await membership.LeaveOrRemoveAsync(UserId, id, memberId, reason, ct);
        if (errors is not null) { Show(errors); return Page(); }
        if (!done) return NotFound();
        TempData["Status"] = "They are no longer in the group. Their words there have been withdrawn, and they'll see your reason.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostLinkAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct) || await links.NewAsync(UserId, id, ct) is not { } link) return NotFound();
        NewLink = link.Url; // shown once: only its hash is kept
        return Page();
    }
}
