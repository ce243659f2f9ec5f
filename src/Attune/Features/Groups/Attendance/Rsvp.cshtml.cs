using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups.Attendance;

/// <summary>"I'll be there" without script: the meetings page's buttons post here, and come back.</summary>
public sealed class RsvpModel(MeetingAttendance attendance, Board.Insiders insiders) : SignedInPageModel
{
    [BindProperty] public bool? Coming { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await insiders.OfAsync(UserId, id, ct) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(Guid id, Guid meetingId, CancellationToken ct)
    {
        var (dto, errors) = await attendance.SetAsync(UserId, id, meetingId, new AttendanceInput(Coming), ct);
        if (dto is null && errors is null) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            return Page();
        }
        TempData["Status"] = dto!.Coming == true ? "Thank you. The group will be glad to see you." : "Thank you for letting us know. You'll be missed, and you're welcome next time.";
        return Redirect($"/groups/{id}/meetings");
    }
}
