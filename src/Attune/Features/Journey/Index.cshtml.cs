using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Journey;

public sealed class IndexModel(JourneyRules rules) : PageModel
{
    public IReadOnlyList<PhaseStatus> Phases { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Phases = await rules.StatusAsync(User.FindFirstValue(ClaimTypes.NameIdentifier)!, ct);
}
