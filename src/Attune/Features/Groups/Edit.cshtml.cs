using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>The facilitator edits the group: its offering, listing and agreements; adds meetings or cancels upcoming ones.</summary>
public sealed class EditModel(GroupsService groups, GroupMeetings meetings) : SignedInPageModel, IGroupFormPage
{
    [BindProperty] public GroupForm Form { get; set; } = new();
    public GroupDto Group { get; private set; } = null!;
    public IReadOnlyList<MeetingDto> Existing { get; private set; } = [];

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await groups.PlaceOfAsync(UserId, id, ct: ct) is not { Facilitates: true } place) return false;
        Group = await groups.DtoAsync(place, UserId, ct);
        Existing = await meetings.ListAsync(UserId, place.Group, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Form = GroupForm.From(Group);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var (group, errors) = await groups.UpdateAsync(UserId, id, Form.ToPatch(), ct);
        if (errors is not null) { Show(errors); return Page(); }
        if (group is null) return NotFound();
        TempData["Status"] = "Saved. Everyone in the group sees the change.";
        return Redirect($"/groups/{id}");
    }
}
