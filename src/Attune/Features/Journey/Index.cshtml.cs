using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Journey;

public sealed class IndexModel(JourneyRules rules) : SignedInPageModel
{
    public IReadOnlyList<PhaseStatus> Phases { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Phases = await rules.StatusAsync(UserId, ct);
}
