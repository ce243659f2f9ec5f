using System.Security.Claims;
using Attune.Features.Journey;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features;

/// <summary>Signed out: what Attune is. Signed in: Today.</summary>
[AllowAnonymous]
public sealed class IndexModel(Today today, Care.CareAssignments assignments) : PageModel
{
    public TodayView? Today { get; private set; }
    public IReadOnlyList<Care.AssignmentDto> Assignments { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id) return;
        Today = await today.ForAsync(id, ct);
        Assignments = (await assignments.ForPersonAsync(id, ct)).Where(a => a.DoneAt is null).ToList();
    }
}
