using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>The facilitator reads applications (each reading goes into the applicant's access log) and answers them.</summary>
public sealed class ApplicationsModel(GroupsService groups, Applications applications) : SignedInPageModel
{
    public GroupDto Group { get; private set; } = null!;
    public IReadOnlyList<ApplicationDto> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await groups.GetAsync(UserId, id, ct) is not { Role: "facilitator" } g || await applications.ListAsync(UserId, id, ct) is not { } list) return NotFound();
        Group = g;
        Items = list;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid appId, string answer, string? note, CancellationToken ct)
    {
        if (answer is not ("accept" or "decline" or "waitlist")) return BadRequest();
        var (application, errors, full) = await applications.AnswerAsync(UserId, id, appId, answer, note, ct);
        if (application is null && errors is null && !full) return NotFound();
        TempData["Status"] = full ? "This group is full. You could waitlist them, or make the group bigger."
            : errors is not null ? string.Join(" ", errors.Items.Select(e => e.Message))
            : answer switch { "accept" => "Accepted. They'll read the agreements and choose their name.", "decline" => "Declined. They'll see your note, kindly.", _ => "They're on the waitlist." };
        return RedirectToPage(new { id });
    }
}
