using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>Starting a group: the offering, the agreements (Attune's defaults to begin with) and the dated meetings.</summary>
public sealed class NewModel(GroupsService groups, GroupAgreements defaults) : SignedInPageModel, IGroupFormPage
{
    [BindProperty] public GroupForm Form { get; set; } = new();
    public IReadOnlyList<MeetingDto> Existing => [];

    public async Task OnGetAsync()
    {
        Form.Agreements = string.Join('\n', defaults.Defaults);
        Form.TimeZone = (await Me.ZoneAsync()).Id;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (group, errors) = await groups.CreateAsync(UserId, Form.ToInput(), ct);
        if (errors is not null) { Show(errors); return Page(); }
        TempData["Status"] = group!.Listing == "pending"
            ? "Your group is made. An administrator will look at it before it appears in the directory; meanwhile you can invite people by link."
            : "Your group is made.";
        return Redirect($"/groups/{group.Id}/manage");
    }
}
