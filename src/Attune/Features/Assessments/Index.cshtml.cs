using System.Globalization;
using Attune.Infrastructure;
using Attune.Infrastructure.Web;

namespace Attune.Features.Assessments;

/// <summary>
/// Check-ins: each questionnaire with its chart and table over everything the person has taken. For a
/// year of weekly check-ins that is 156 results to open and ten charts with their tables to draw, so
/// what the page shows is kept briefly per person (<see cref="PersonSnapshots"/>), charts drawn and
/// dates written: check-ins are the person's own rows, which only their own writes change (taking
/// one, deleting their data), and any write of theirs drops the copy.
/// </summary>
public sealed class IndexModel(Instruments instruments, CheckIns checkIns, PersonSnapshots snapshots) : SignedInPageModel
{
    internal const string SnapshotKind = "check-ins";

    /// <summary>One row of a chart's table: the date as the machine reads it, as a person does, and the score.</summary>
    public sealed record HistoryRow(string Iso, string Day, string Value)
    {
        public static HistoryRow Of(DateTimeOffset at, string value) =>
            new(at.ToString("o", CultureInfo.InvariantCulture), at.ToString("d MMM yyyy", CultureInfo.InvariantCulture), value);
    }

    /// <summary>A chart (already drawn) with its table; <see cref="Caption"/> names a pattern's chart.</summary>
    public sealed record Plot(string? Caption, string Chart, IReadOnlyList<HistoryRow> Rows);

    public sealed record Section(Instrument Instrument, CheckInDto? Last, IReadOnlyList<Plot> Plots);

    public IReadOnlyList<Section> Sections { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (snapshots.Get<IReadOnlyList<Section>>(SnapshotKind, UserId, PersonSnapshotsMiddleware.WroteAt(Request)) is { } kept)
        {
            Sections = kept;
            return;
        }
        var start = snapshots.Begin(UserId);
        var all = await checkIns.ListAsync(UserId, null, ct);
        Sections = instruments.All.Select(i => Draw(i, all.Where(c => c.Instrument == i.Code).ToList())).ToList();
        snapshots.Set(SnapshotKind, start, Sections);
    }

    private static Section Draw(Instrument instrument, List<CheckInDto> history)
    {
        if (history.Count == 0) return new(instrument, null, []);
        if (instrument.Patterns is null)
            return new(instrument, history[^1], [new(null,
                Chart.Line($"{instrument.Name} scores over time, out of {instrument.MaxTotal}", history.Select(h => (h.TakenAt, h.Total)).ToList(), instrument.MaxTotal),
                history.Select(h => HistoryRow.Of(h.TakenAt, h.Total.ToString(CultureInfo.InvariantCulture) + " (" + h.Band + ")")).ToList())]);
        return new(instrument, history[^1], instrument.Patterns.Select(pattern =>
        {
            var points = history.Select(h => (h.TakenAt, h.Subscales.GetValueOrDefault(pattern.Code))).ToList();
            return new Plot(pattern.Name, Chart.Line($"{pattern.Name} over time, out of 9", points, 9),
                points.Select(p => HistoryRow.Of(p.TakenAt, p.Item2.ToString(CultureInfo.InvariantCulture))).ToList());
        }).ToList());
    }
}
