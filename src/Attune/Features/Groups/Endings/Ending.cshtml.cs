using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups.Endings;

/// <summary>The facilitator closes the group, after reading what that means; anyone else gets 404.</summary>
public sealed class EndingModel(GroupEndings endings, Board.Insiders insiders) : SignedInPageModel
{
    public string Title { get; private set; } = "";
    public GroupEndingDto? Ending { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await insiders.OfAsync(UserId, id, ct) is not { IsFacilitator: true } inside) return NotFound();
        Title = inside.Group.Title;
        if (inside.Group.ClosedAt is { } closed) Ending = new GroupEndingDto(id, new DateTimeOffset(closed), new DateTimeOffset(closed + Board.BoardService.AfterClose));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var (ending, notYours) = await endings.CloseAsync(UserId, id, ct);
        if (ending is null || notYours) return NotFound();
        TempData["Status"] = "The group is closed. Thank you for holding it.";
        return Redirect($"/groups/{id}/ending");
    }
}
