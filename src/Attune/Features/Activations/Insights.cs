using System.Globalization;
using Attune.Data;
using Attune.Features.Assessments;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Activations;

/// <summary>A period of the person's own calendar days, both ends included.</summary>
public sealed record InsightPeriod(DateOnly From, DateOnly To, string? Range)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
}

public sealed class Insights(AttuneDb db, Instruments instruments, TimeProvider clock)
{
    public const int MaxYears = 10, DailyUpTo = 92;
    public static readonly IReadOnlyList<(string Code, string Label)> Ranges = [("4w", "4 weeks"), ("3m", "3 months"), ("1y", "A year"), ("all", "All")];
    public const string DefaultRange = "3m";

    /// <summary>Reads and checks <c>from</c>, <c>to</c> (yyyy-MM-dd, the person's days) and <c>range</c>.</summary>
    public async Task<(InsightPeriod? Period, FieldErrors Errors)> PeriodAsync(string ownerId, string? from, string? to, string? range, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var zone = await db.ZoneOfAsync(ownerId, ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
        var (f, t) = (errors.Day("from", from), errors.Day("to", to));
        if (!string.IsNullOrEmpty(range) && !Ranges.Any(r => r.Code == range))
            errors.Add("range", "The range can be 4w, 3m, 1y or all.");
        if (errors.Any) return (null, errors);
        if (f is null && t is null)
        {
            var code = string.IsNullOrEmpty(range) ? DefaultRange : range;
            var start = code switch
            {
                "4w" => today.AddDays(-27),
                "3m" => today.AddMonths(-3).AddDays(1),
                "1y" => today.AddYears(-1).AddDays(1),
                _ => await FirstDayAsync(ownerId, zone, today, ct),
            };
            return (new InsightPeriod(start, today, code), errors);
        }
        var end = t ?? today;
        var begin = f ?? end.AddMonths(-3).AddDays(1);
        if (begin > end) errors.Add("from", "The start date is after the end date.");
        else if (begin < end.AddYears(-MaxYears)) errors.Add("from", $"Please choose a period of {MaxYears} years or less.");
        return errors.Any ? (null, errors) : (new InsightPeriod(begin, end, null), errors);
    }

    private async Task<DateOnly> FirstDayAsync(string ownerId, TimeZoneInfo zone, DateOnly today, CancellationToken ct)
    {
        var first = await db.Set<Activation>().AsNoTracking().OwnedBy(ownerId).MinAsync(a => (int?)a.LocalDay, ct);
        var firstCheckIn = await db.Set<CheckIn>().AsNoTracking().OwnedBy(ownerId).MinAsync(c => (DateTime?)c.TakenAt, ct);
        // From the first reaction or check-in (today at the latest), but never more than MaxYears back.
        var floor = today.AddYears(-MaxYears).AddDays(1);
        var days = new List<DateOnly> { today };
        if (first is { } d) days.Add(DateOnly.FromDayNumber(d));
        if (firstCheckIn is { } c) days.Add(DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(c, zone)));
        var earliest = days.Min();
        return earliest < floor ? floor : earliest == today && first is null ? today.AddMonths(-3).AddDays(1) : earliest;
    }

    public async Task<ActivationInsights> ComputeAsync(string ownerId, InsightPeriod period, CancellationToken ct = default)
    {
        var (lo, hi) = (period.From.DayNumber, period.To.DayNumber);
        var inRange = db.Set<Activation>().AsNoTracking().Where(a => a.OwnerId == ownerId && a.LocalDay >= lo && a.LocalDay <= hi);

        var perDay = await inRange.GroupBy(a => a.LocalDay).Select(g => new { Day = g.Key, Count = g.Count(), Sum = g.Sum(a => a.Intensity) }).ToListAsync(ct);
        var perWeek = await inRange.GroupBy(a => a.LocalDay / 7).Select(g => new { Week = g.Key, Count = g.Count(), Sum = g.Sum(a => a.Intensity) }).ToListAsync(ct);
        var perPatternDay = await db.Set<ActivationPattern>().AsNoTracking()
            .Join(inRange, p => p.ActivationId, a => a.Id, (p, a) => new { p.Pattern, a.LocalDay, a.Intensity })
            .GroupBy(x => new { x.Pattern, x.LocalDay }).Select(g => new { g.Key.Pattern, Day = g.Key.LocalDay, Count = g.Count(), Sum = g.Sum(x => x.Intensity) }).ToListAsync(ct);
        var ages = await inRange.GroupBy(a => a.FeltAge).Select(g => new { Age = g.Key, Count = g.Count() }).ToListAsync(ct);
        var heat = await inRange.GroupBy(a => new { Weekday = a.LocalDay % 7, a.LocalHour }).Select(g => new { g.Key.Weekday, Hour = g.Key.LocalHour, Count = g.Count() }).ToListAsync(ct);
        var checkIns = await CheckInsAsync(ownerId, period, ct);

        var count = perDay.Sum(d => d.Count);
        double? mean = count == 0 ? null : Round((double)perDay.Sum(d => d.Sum) / count);
        var names = instruments.Find("signs")!.Patterns!.ToDictionary(p => p.Code, p => p.Name);
        var patterns = perPatternDay.GroupBy(p => p.Pattern)
            .Select(g => new PatternStat(g.Key, names.GetValueOrDefault(g.Key, g.Key), g.Sum(x => x.Count), Round((double)g.Sum(x => x.Sum) / g.Sum(x => x.Count))))
            .OrderByDescending(p => p.Count).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var weeks = perWeek.OrderBy(w => w.Week).Select(w => new WeekStat(DateOnly.FromDayNumber(w.Week * 7), w.Count, Round((double)w.Sum / w.Count))).ToList();
        var daily = period.Days <= DailyUpTo;
        var trend = daily
            ? Trend(perDay.Select(d => (d.Day, d.Count, d.Sum)), 7)
            : Trend(perWeek.Select(w => (w.Week * 7, w.Count, w.Sum)), 28);
        var feltAges = ages.OrderBy(a => a.Age is null).ThenBy(a => a.Age).Select(a => new AgeStat(a.Age, a.Count)).ToList();
        var heatmap = heat.OrderBy(h => h.Weekday).ThenBy(h => h.Hour).Select(h => new HeatCell(h.Weekday, h.Hour, h.Count)).ToList();

        var summaries = new List<string>();
        var zone = await db.ZoneOfAsync(ownerId, ct);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
        Summarise(summaries, period, today, count, mean, patterns,
            perDay.Select(d => (d.Day, d.Count, d.Sum)).ToList(), perPatternDay.Select(p => (p.Pattern, p.Day, p.Count, p.Sum)).ToList(), feltAges, heatmap, checkIns);
        return new ActivationInsights(period.From, period.To, period.Range, count, mean, daily ? "day" : "week", trend, patterns, weeks, feltAges, heatmap, checkIns, summaries);
    }

    private async Task<List<CheckInPoint>> CheckInsAsync(string ownerId, InsightPeriod period, CancellationToken ct)
    {
        var zone = await db.ZoneOfAsync(ownerId, ct);
        // A day either side in UTC, then exact local days: the person's days are what count.
        var from = period.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(-1);
        var to = period.To.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(2);
        var rows = await db.Set<CheckIn>().AsNoTracking().OwnedBy(ownerId).Where(c => c.TakenAt >= from && c.TakenAt < to)
            .OrderBy(c => c.TakenAt).ToListAsync(ct);
        var points = new List<CheckInPoint>();
        foreach (var row in rows)
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(row.TakenAt, zone));
            if (day < period.From || day > period.To || instruments.Find(row.Instrument) is not { } instrument) continue;
            if (await db.ScoreAsync(instruments, row, ct) is { } score)
                points.Add(new CheckInPoint(row.Instrument, instrument.Name, new DateTimeOffset(row.TakenAt), day, score.Total, instrument.MaxTotal, score.Band));
        }
        return points;
    }

    /// <summary>Bucket means, and a rolling mean over the trailing <paramref name="windowDays"/> (weighted by how many were logged).</summary>
    private static List<TrendPoint> Trend(IEnumerable<(int Day, int Count, int Sum)> buckets, int windowDays)
    {
        var ordered = buckets.OrderBy(b => b.Day).ToList();
        var points = new List<TrendPoint>(ordered.Count);
        var start = 0;
        long windowCount = 0, windowSum = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            windowCount += ordered[i].Count;
            windowSum += ordered[i].Sum;
            while (ordered[start].Day <= ordered[i].Day - windowDays)
            {
                windowCount -= ordered[start].Count;
                windowSum -= ordered[start].Sum;
                start++;
            }
            points.Add(new TrendPoint(DateOnly.FromDayNumber(ordered[i].Day), ordered[i].Count, Round((double)ordered[i].Sum / ordered[i].Count), Round((double)windowSum / windowCount)));
        }
        return points;
    }

    private static double Round(double v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);

    public static string Number(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    private static readonly string[] WeekdayNames = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];

    /// <summary>
    /// Plain sentences computed from the numbers: how many and how strong; the most frequent
    /// pattern and how its intensity changed from the first month (or first half) of the period
    /// to the last; the age felt most often; when reactions came most; check-in changes.
    /// </summary>
    private static void Summarise(List<string> s, InsightPeriod period, DateOnly today, int count, double? mean, List<PatternStat> patterns,
        List<(int Day, int Count, int Sum)> perDay, List<(string Pattern, int Day, int Count, int Sum)> perPatternDay,
        List<AgeStat> ages, List<HeatCell> heat, List<CheckInPoint> checkIns)
    {
        var when = period.Range switch
        {
            "4w" => "in the last 4 weeks",
            "3m" => "in the last 3 months",
            "1y" => "in the last year",
            "all" => "so far",
            _ => $"between {Date(period.From)} and {Date(period.To)}",
        };
        if (count == 0)
        {
            s.Add($"No reactions were logged {when}. That's okay: you can log one whenever something stirs you up.");
        }
        else
        {
            s.Add($"You logged {count} {(count == 1 ? "reaction" : "reactions")} {when}, with an average intensity of {Number(mean!.Value)} out of 10.");

            // Compare the first part of the period with the last: calendar months for longer periods, halves for short ones.
            var byMonth = period.Days > 62;
            string Part(int day) => byMonth ? DateOnly.FromDayNumber(day).ToString("yyyy-MM", CultureInfo.InvariantCulture) : day < period.From.DayNumber + period.Days / 2 ? "first" : "second";
            string Label(string part, int day) => byMonth ? DateOnly.FromDayNumber(day).ToString(DateOnly.FromDayNumber(day).Year == today.Year ? "MMMM" : "MMMM yyyy", CultureInfo.InvariantCulture)
                : part == "first" ? "the first half of this period" : "the second half";

            if (patterns.Count > 0)
            {
                var top = patterns[0];
                var sentence = $"Reactions linked to “{top.Name.ToLowerInvariant()}” came up most often ({top.Count}).";
                var parts = perPatternDay.Where(p => p.Pattern == top.Code).GroupBy(p => Part(p.Day))
                    .Select(g => (Part: g.Key, FirstDay: g.Min(x => x.Day), Count: g.Sum(x => x.Count), Sum: g.Sum(x => x.Sum))).OrderBy(g => g.FirstDay).ToList();
                if (parts.Count >= 2) sentence += " " + Change("Their average intensity", parts[0], parts[^1], Label);
                s.Add(sentence);
            }
            var all = perDay.GroupBy(d => Part(d.Day)).Select(g => (Part: g.Key, FirstDay: g.Min(x => x.Day), Count: g.Sum(x => x.Count), Sum: g.Sum(x => x.Sum)))
                .OrderBy(g => g.FirstDay).ToList();
            if (all.Count >= 2) s.Add(Change("Across all reactions, the average intensity", all[0], all[^1], Label));

            if (ages.Where(a => a.Age is not null).OrderByDescending(a => a.Count).ThenBy(a => a.Age).FirstOrDefault() is { } age)
                s.Add($"The age you felt most often was {age.Age} ({Times(age.Count)}).");

            var weekday = heat.GroupBy(h => h.Weekday).Select(g => (Day: g.Key, Count: g.Sum(x => x.Count))).OrderByDescending(g => g.Count).ThenBy(g => g.Day).First();
            var part = heat.GroupBy(h => h.Hour / 6).Select(g => (Part: g.Key, Count: g.Sum(x => x.Count))).OrderByDescending(g => g.Count).ThenBy(g => g.Part).First();
            string[] parts6 = ["at night, between midnight and 6 am", "in the morning, between 6 am and noon", "in the afternoon, between noon and 6 pm", "in the evening, between 6 pm and midnight"];
            s.Add($"Reactions came most often on {WeekdayNames[weekday.Day]} ({Times(weekday.Count)}) and {parts6[part.Part]} ({Times(part.Count)}).");
        }
        foreach (var group in checkIns.Where(c => c.Instrument is "phq9" or "gad7").GroupBy(c => c.Instrument))
        {
            var list = group.ToList();
            if (list.Count < 2) continue;
            var (first, last) = (list[0], list[^1]);
            var how = last.Total < first.Total ? "went down" : last.Total > first.Total ? "went up" : "stayed";
            s.Add(last.Total == first.Total
                ? $"Your {first.Name} score stayed at {first.Total} from {Date(first.Day)} to {Date(last.Day)}."
                : $"Your {first.Name} score {how} from {first.Total} on {Date(first.Day)} to {last.Total} on {Date(last.Day)} (lower means fewer symptoms).");
        }
    }

    private static string Times(int n) => n == 1 ? "once" : $"{n} times";

    private static string Change(string subject, (string Part, int FirstDay, int Count, int Sum) first, (string Part, int FirstDay, int Count, int Sum) last, Func<string, int, string> label)
    {
        var (a, b) = (Round((double)first.Sum / first.Count), Round((double)last.Sum / last.Count));
        var (from, to) = (label(first.Part, first.FirstDay), label(last.Part, last.FirstDay));
        if (a == b) return $"{subject} stayed at {Number(a)} from {from} to {to}.";
        return $"{subject} {(b < a ? "fell" : "rose")} from {Number(a)} in {from} to {Number(b)} in {to}.";
    }

    public static string Date(DateOnly d) => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
