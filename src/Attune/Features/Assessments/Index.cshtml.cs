using Attune.Infrastructure.Web;

namespace Attune.Features.Assessments;

public sealed class IndexModel(Instruments instruments, CheckIns checkIns) : SignedInPageModel
{
    public List<(Instrument Instrument, List<CheckInDto> History)> Rows { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await checkIns.ListAsync(UserId, null, ct);
        foreach (var instrument in instruments.All)
            Rows.Add((instrument, all.Where(c => c.Instrument == instrument.Code).ToList()));
    }
}
