using Attune.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Activations;

/// <summary>
/// Insights: charts and plain summaries over a chosen range. A named range (4 weeks, 3 months, a year,
/// all) is kept briefly per person (<see cref="PersonSnapshots"/>): it is gathered from the person's
/// own reactions and check-ins, which only their own writes change, and any write of theirs drops it.
/// </summary>
public sealed class InsightsModel(Insights insights, PersonSnapshots snapshots) : ActivationPageModel
{
    internal const string SnapshotKind = "insights:";

    [BindProperty(SupportsGet = true)] public string? Range { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public ActivationInsights? Data { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (period, errors) = await insights.PeriodAsync(UserId, From, To, Range, ct);
        if (errors.Any)
        {
            Show(errors);
            (period, _) = await insights.PeriodAsync(UserId, null, null, null, ct);
        }
        var kind = errors.Any || period!.Range is not { } range || From is not null || To is not null ? null : SnapshotKind + range;
        if (kind is not null && snapshots.Get<ActivationInsights>(kind, UserId, PersonSnapshotsMiddleware.WroteAt(Request)) is { } kept && kept.From == period!.From && kept.To == period.To)
        {
            Data = kept;
            return;
        }
        var start = snapshots.Begin(UserId);
        Data = await insights.ComputeAsync(UserId, period!, ct);
        if (kind is not null) snapshots.Set(kind, start, Data);
    }
}
