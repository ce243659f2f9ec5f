using System.Globalization;
using Attune.Data;
using Attune.Features.Journey;
using Attune.Infrastructure.Pdf;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Activations;

public sealed record PhaseProgress(int Number, string Title, string Status, int PracticesDone, int PracticesTotal);

/// <summary>Practice sessions finished in the period, with the average distress before and after (0–10).</summary>
public sealed record PracticeProgress(int Completed, double? MeanBefore, double? MeanAfter);

public sealed record ProgressReportData(string Name, DateOnly Made, IReadOnlyList<PhaseProgress> Phases, PracticeProgress Practices, ActivationInsights Insights);

/// <summary>
/// The progress report: journey progress, check-in trends and activation summaries for a chosen
/// period, as the person's own HTML page and as a PDF they can keep or give to their therapist.
/// It holds numbers, pattern names and Attune's own sentences only; nothing the person wrote.
/// </summary>
public sealed class ProgressReport(AttuneDb db, Insights insights, JourneyRules journey, Assessments.Instruments instruments, PdfFonts fonts, TimeProvider clock)
{
    public bool PdfAvailable => fonts.Available;

    public async Task<ProgressReportData> BuildAsync(string ownerId, InsightPeriod period, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == ownerId, ct);
        var name = await db.DisplayNameAsync(user, ct);
        var zone = await db.ZoneOfAsync(ownerId, ct);
        var phases = (await journey.StatusAsync(ownerId, ct))
            .Select(p => new PhaseProgress(p.Number, p.Title, p.Status, p.Practices.Count(x => x.TimesCompleted > 0), p.Practices.Count)).ToList();
        var from = period.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(-1);
        var to = period.To.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(2);
        var sessions = (await db.Set<PracticeSession>().AsNoTracking().OwnedBy(ownerId)
                .Where(s => s.CompletedAt != null && s.CompletedAt >= from && s.CompletedAt < to)
                .Select(s => new { s.CompletedAt, s.SudsBefore, s.SudsAfter }).ToListAsync(ct))
            .Where(s => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(s.CompletedAt!.Value, zone)) is var d && d >= period.From && d <= period.To).ToList();
        var withAfter = sessions.Where(s => s.SudsAfter is not null).ToList();
        var practice = new PracticeProgress(sessions.Count,
            withAfter.Count == 0 ? null : Math.Round(withAfter.Average(s => s.SudsBefore), 1),
            withAfter.Count == 0 ? null : Math.Round(withAfter.Average(s => s.SudsAfter!.Value), 1));
        var made = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
        return new ProgressReportData(name, made, phases, practice, await insights.ComputeAsync(ownerId, period, ct));
    }

    public byte[] Pdf(ProgressReportData r)
    {
        using var pdf = fonts.NewDocument("Attune progress report");
        var i = r.Insights;
        pdf.Heading(1, "Attune progress report", 20, after: 4);
        pdf.Text((r.Name.Length > 0 ? r.Name + " · " : "") + $"{Insights.Date(i.From)} to {Insights.Date(i.To)} · made on {Insights.Date(r.Made)}", 10, after: 10);
        pdf.Text("This report holds numbers and summaries only, not anything you wrote. You choose who sees it.", 9, after: 12);

        pdf.Heading(2, "Your journey", 14, after: 4);
        foreach (var p in r.Phases)
            pdf.Text($"Part {p.Number}, {p.Title}: {StatusWord(p.Status)}, {p.PracticesDone} of {p.PracticesTotal} practices done at least once.", 10);
        pdf.Text(PracticeSentence(r.Practices), 10, after: 12);

        pdf.Heading(2, "Check-ins", 14, after: 4);
        if (i.CheckIns.Count == 0) pdf.Text("No check-ins in this period.", 10, after: 12);
        else
        {
            pdf.KeepTogether(220);
            InsightCharts.CheckIns(i).Draw(pdf, PdfDocumentWriter.TextWidth);
            foreach (var c in i.CheckIns)
                pdf.Text($"{Insights.Date(c.Day)}  {c.Name}: {c.Total} of {c.MaxTotal}{(c.Band is null ? "" : " (" + c.Band + ")")}", 10);
            foreach (var attribution in Attributions(i)) pdf.Text(attribution, 8);
            pdf.Text("", 8, after: 8);
        }

        pdf.Heading(2, "Reactions", 14, after: 4);
        foreach (var s in i.Summaries) pdf.Text(s, 10, after: 2);
        if (i.Count > 0)
        {
            pdf.KeepTogether(220);
            pdf.Heading(3, "Intensity over time (dots: average; line: rolling average)", 10, after: 2);
            InsightCharts.Intensity(i).Draw(pdf, PdfDocumentWriter.TextWidth);
            pdf.KeepTogether(120 + 25 * i.Patterns.Count);
            pdf.Heading(3, "By pattern", 10, after: 2);
            foreach (var p in i.Patterns) pdf.Text($"{p.Name}: {p.Count}, average intensity {Insights.Number(p.MeanIntensity)}", 10);
            if (i.Patterns.Count > 0) InsightCharts.Patterns(i).Draw(pdf, PdfDocumentWriter.TextWidth);
            pdf.KeepTogether(240);
            pdf.Heading(3, "How old it felt", 10, after: 2);
            pdf.Text(string.Join(", ", i.FeltAges.Select(a => $"{(a.Age is null ? "not sure" : a.Age.Value.ToString(CultureInfo.InvariantCulture))}: {a.Count}")), 10);
            InsightCharts.FeltAges(i).Draw(pdf, PdfDocumentWriter.TextWidth);
            pdf.KeepTogether(200);
            pdf.Heading(3, "Day of the week and hour", 10, after: 2);
            InsightCharts.Heatmap(i).Draw(pdf, PdfDocumentWriter.TextWidth * 0.9);
        }
        return pdf.Save();
    }

    /// <summary>The published attribution of each measure shown.</summary>
    public IEnumerable<string> Attributions(ActivationInsights i) =>
        i.CheckIns.Select(c => c.Instrument).Distinct().Select(instruments.Find).Where(x => x is not null && !string.IsNullOrEmpty(x.Attribution)).Select(x => x!.Attribution);

    public static string StatusWord(string status) => status switch { "completed" => "completed", "open" => "open", _ => "not open yet" };

    public static string PracticeSentence(PracticeProgress p) => p.Completed == 0
        ? "No practices were finished in this period."
        : $"{p.Completed} {(p.Completed == 1 ? "practice was" : "practices were")} finished in this period." +
          (p.MeanBefore is { } b && p.MeanAfter is { } a ? $" Average distress went from {Insights.Number(b)} before to {Insights.Number(a)} after (0 to 10)." : "");
}
