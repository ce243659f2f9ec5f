using Attune.Infrastructure.Web;

namespace Attune.Features.Journey;

public sealed class IndexModel(JourneyRules rules) : SignedInPageModel
{
    public IReadOnlyList<PhaseStatus> Phases { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Phases = await rules.StatusAsync(UserId, ct);
}
