using Attune.Data;
using Attune.Features.Assessments;
using Attune.Features.Journey;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Home;

/// <summary><c>Safety</c>: the latest answered the PHQ-9's last question above zero, so a lower total is no comfort.</summary>
public sealed record CheckInTrend(string Code, string Title, int Total, int MaxTotal, string? Band, DateTimeOffset TakenAt, int? Previous, bool Safety = false)
{
    public string Direction => Safety ? "safety" : Previous is null ? "first" : Total < Previous ? "lower" : Total > Previous ? "higher" : "same";
}

/// <summary>
/// Today for one person. <c>Newcomer</c>: not yet welcomed (the page asks their country and time
/// zone). There is one next step: the safety plan until it is ready, then a practice.
/// </summary>
public sealed record TodayView(
    string DisplayName, PhaseStatus Current, int DoneInCurrent, PracticeSummary? Next, (Guid Id, string Title)? Unfinished,
    IReadOnlyList<CheckInTrend> CheckIns, bool SafetyPlanReady, string? Nudge, bool Newcomer, string TimeZone, string? Country);

/// <summary>What the Today page shows, gathered in a handful of small indexed queries.</summary>
public sealed class Today(AttuneDb db, JourneyRules rules, Practices practices, Instruments instruments, TimeProvider clock)
{
    public async Task<TodayView> ForAsync(string userId, CancellationToken ct = default)
    {
        // One connection for the handful of reads below, instead of one open and close each.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await ReadAsync(userId, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<TodayView> ReadAsync(string userId, CancellationToken ct)
    {
        var profile = await db.ProfileAsync(userId, ct) ?? throw new InvalidOperationException("A signed-in person has an account row.");
        var name = profile.DisplayName;
        var phases = await rules.StatusAsync(userId, ct);
        var current = phases.LastOrDefault(p => p.Status == "open") ?? phases.LastOrDefault(p => p.Status == "completed") ?? phases[0];
        var next = current.Practices.Where(p => current.Status != "locked").OrderBy(p => p.TimesCompleted).FirstOrDefault();

        var unfinishedRow = await db.Set<PracticeSession>().AsNoTracking().Where(s => s.OwnerId == userId && s.CompletedAt == null)
            .OrderByDescending(s => s.UpdatedAt).Select(s => new { s.Id, s.PracticeSlug, s.UpdatedAt }).FirstOrDefaultAsync(ct);
        (Guid, string)? unfinished = unfinishedRow is not null && clock.GetUtcNow().UtcDateTime - unfinishedRow.UpdatedAt < TimeSpan.FromDays(14)
            && practices.Find(unfinishedRow.PracticeSlug) is { } up ? (unfinishedRow.Id, up.Title) : null;

        // The last two results of each instrument, newest first.
        var recent = await db.Set<CheckIn>().AsNoTracking().Where(c => c.OwnerId == userId)
            .OrderByDescending(c => c.TakenAt).Take(30).ToListAsync(ct);
        var trends = new List<CheckInTrend>();
        foreach (var instrument in instruments.All.Where(i => i.Patterns is null))
        {
            var two = recent.Where(r => r.Instrument == instrument.Code).Take(2).ToList();
            if (two.Count == 0 || await db.ScoreAsync(instruments, two[0], ct) is not { } latest) continue;
            var previous = two.Count > 1 ? await db.ScoreAsync(instruments, two[1], ct) : null;
            trends.Add(new CheckInTrend(instrument.Code, instrument.Title, latest.Total, instrument.MaxTotal, latest.Band,
                new DateTimeOffset(two[0].TakenAt), previous?.Total, latest.Safety));
        }

        var planReady = rules.LastPlanCounts is { Helpers: >= JourneyRules.HelpersNeeded, Coping: >= JourneyRules.CopingNeeded };
        var lastCheckIn = recent.Count == 0 ? (DateTime?)null : recent[0].TakenAt;
        // Until the safety plan is ready it is the one next step, so nothing else competes with it.
        var nudge = !planReady ? null
            : lastCheckIn is null ? "When you feel like it, a short check-in can help you notice how things change."
            : clock.GetUtcNow().UtcDateTime - lastCheckIn > TimeSpan.FromDays(14) ? "It's been a couple of weeks since your last check-in. Want to take one? Only if it feels right."
            : "Small steps count. Even five minutes of practice is worth it.";
        return new TodayView(name, current, current.Practices.Count(p => p.TimesCompleted > 0), next, unfinished, trends, planReady, nudge,
            !profile.Welcomed, profile.TimeZoneId, profile.Country);
    }
}
