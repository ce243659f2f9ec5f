using System.Globalization;
using Attune.Data;
using Attune.Features.Activations;
using Attune.Features.Assessments;
using Attune.Features.Journey;
using Attune.Features.Privacy;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// What a therapist sees of the people they work with. Every read goes through an active
/// relationship and the person's consent for that part; without both it answers as if the person
/// did not exist. Each read of a person's data is written to their access log.
/// </summary>
public sealed class Caseload(AttuneDb db, CareService care, CareAssignments careAssignments, JourneyRules rules, Instruments instruments, AccessLog accessLog,
    EventHub hub, TimeProvider clock)
{
    public const int MaxReason = 300;

    private Task<CareRelationship?> ActiveAsync(string therapistId, string personId, CancellationToken ct) => care.ActiveBetweenAsync(therapistId, personId, ct);

    public async Task<IReadOnlyList<CaseloadEntry>> CaseloadAsync(string therapistId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking().Where(c => c.TherapistId == therapistId && c.Status == CareStatus.Active)
            .OrderBy(c => c.AnsweredAt).Take(CareService.MaxRelationships).ToListAsync(ct);
        var result = new List<CaseloadEntry>();
        foreach (var c in rows) result.Add(await EntryAsync(c, therapistId, ct));
        return result;
    }

    /// <summary>One person on the caseload; null (404) without an active relationship.</summary>
    public async Task<CaseloadEntry?> PersonAsync(string therapistId, string personId, CancellationToken ct = default) =>
        await ActiveAsync(therapistId, personId, ct) is { } c ? await EntryAsync(c, therapistId, ct) : null;

    private async Task<CaseloadEntry> EntryAsync(CareRelationship c, string therapistId, CancellationToken ct)
    {
        var journey = c.ConsentJourney ? await JourneyAsync(c.PersonId, ct) : null;
        IReadOnlyList<CheckInSummary>? checkIns = null;
        var flag = false;
        if (c.ConsentCheckIns)
        {
            checkIns = await CheckInSummariesAsync(c.PersonId, ct);
            // The item-9 flag is not stored: it is worked out from the latest PHQ-9's opened answers.
            var latest = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == c.PersonId && x.Instrument == "phq9")
                .OrderByDescending(x => x.TakenAt).FirstOrDefaultAsync(ct);
            flag = latest is not null && (await db.ScoreAsync(instruments, latest, ct))?.Safety == true;
        }
        var activations = c.ConsentActivations ? await ActivationTrendAsync(c.PersonId, ct) : null;
        var assignments = await careAssignments.OfAsync(c, therapistId, ct);
        if (c.ConsentJourney || c.ConsentCheckIns || c.ConsentActivations)
            await accessLog.RecordAsync(c.PersonId, therapistId, "read", "caseload", c.Id.ToString(), ct: ct);
        var open = assignments.Where(a => a.DoneAt is null).ToList();
        return new CaseloadEntry(c.PersonId, c.Id, await care.PersonNameAsync(c.PersonId, ct), new DateTimeOffset(c.AnsweredAt ?? c.RequestedAt), CareService.Consent(c),
            journey, checkIns, flag, activations, open.Count, open.Count == 0 ? null : open.Min(a => a.DueAt), assignments);
    }

    private async Task<JourneySummary> JourneyAsync(string personId, CancellationToken ct)
    {
        var phases = await rules.StatusAsync(personId, ct);
        var current = phases.LastOrDefault(p => p.Status == "open") ?? phases.LastOrDefault(p => p.Status == "completed") ?? phases[0];
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var recent = await db.Set<PracticeSession>().AsNoTracking().Where(s => s.OwnerId == personId && s.CompletedAt != null && s.CompletedAt >= since)
            .Select(s => new { s.SudsBefore, s.SudsAfter }).ToListAsync(ct);
        return new JourneySummary(current.Number, current.Title, recent.Count,
            recent.Count == 0 ? null : Math.Round(recent.Average(s => s.SudsBefore), 1),
            recent.Any(s => s.SudsAfter is not null) ? Math.Round(recent.Where(s => s.SudsAfter is not null).Average(s => s.SudsAfter!.Value), 1) : null,
            phases.Select(p => new PhaseState(p.Number, p.Title, p.Status)).ToList());
    }

    private async Task<IReadOnlyList<CheckInSummary>> CheckInSummariesAsync(string personId, CancellationToken ct)
    {
        var rows = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == personId)
            .GroupBy(x => x.Instrument).Select(g => new { Code = g.Key, Count = g.Count(), First = g.Min(x => x.TakenAt), Last = g.Max(x => x.TakenAt) }).ToListAsync(ct);
        var result = new List<CheckInSummary>();
        foreach (var r in rows.OrderBy(r => r.Code))
        {
            if (instruments.Find(r.Code) is not { } instrument) continue;
            var firstRow = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == personId && x.Instrument == r.Code && x.TakenAt == r.First).FirstAsync(ct);
            var lastRow = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == personId && x.Instrument == r.Code && x.TakenAt == r.Last).FirstAsync(ct);
            if (await db.ScoreAsync(instruments, firstRow, ct) is not { } first || await db.ScoreAsync(instruments, lastRow, ct) is not { } last) continue;
            result.Add(new CheckInSummary(r.Code, instrument.Title, last.Total, first.Total, instrument.MaxTotal, last.Band, new DateTimeOffset(lastRow.TakenAt), r.Count));
        }
        return result;
    }

    private async Task<ActivationTrend> ActivationTrendAsync(string personId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var from = now.AddDays(-56);
        var rows = await db.Set<Activation>().AsNoTracking().Where(a => a.OwnerId == personId && a.OccurredAt >= from)
            .Select(a => new { a.Id, a.OccurredAt, a.Intensity }).ToListAsync(ct);
        var recent = rows.Where(a => a.OccurredAt >= now.AddDays(-28)).ToList();
        var before = rows.Except(recent).ToList();
        double? Mean(IEnumerable<int> xs) => xs.Any() ? Math.Round(xs.Average(), 1) : null;
        var (m1, m0) = (Mean(recent.Select(a => a.Intensity)), Mean(before.Select(a => a.Intensity)));
        var direction = m1 is null ? "none" : m0 is null ? "new" : m1 - m0 >= 1 ? "rising" : m0 - m1 >= 1 ? "easing" : "steady";
        var ids = recent.Select(a => a.Id).ToList();
        var counts = await db.Set<ActivationPattern>().AsNoTracking().Where(p => ids.Contains(p.ActivationId))
            .GroupBy(p => p.Pattern).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var names = instruments.Find("signs")?.Patterns ?? [];
        return new ActivationTrend(recent.Count, m1, before.Count, m0, direction,
            counts.OrderByDescending(c => c.Count).Select(c => new PatternCount(c.Key, names.FirstOrDefault(n => n.Code == c.Key)?.Name ?? c.Key, c.Count)).ToList());
    }

    /// <summary>A person's check-in results for their therapist: scores only, and only with the check-in consent. Null: 404.</summary>
    public async Task<IReadOnlyList<CheckInDto>?> CheckInsAsync(string therapistId, string personId, CancellationToken ct = default)
    {
        var c = await ActiveAsync(therapistId, personId, ct);
        if (c is null || !c.ConsentCheckIns) return null;
        var rows = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == personId).OrderByDescending(x => x.TakenAt).Take(200).ToListAsync(ct);
        await accessLog.RecordAsync(personId, therapistId, "read", "check-ins", c.Id.ToString(), ct: ct);
        var result = new List<CheckInDto>();
        foreach (var x in rows)
            if (instruments.Find(x.Instrument) is { } instrument && await db.ScoreAsync(instruments, x, ct) is { } score)
                result.Add(CheckIns.ToDto(instrument, x, score, answers: null));
        return result;
    }

    /// <summary>Opens or closes a journey phase for a person (journey consent needed), with a reason the person reads in their access log.</summary>
    public async Task<(bool Found, FieldErrors? Errors)> SetPhaseAsync(string therapistId, string personId, int number, PhaseInput input, CancellationToken ct = default)
    {
        var c = await ActiveAsync(therapistId, personId, ct);
        if (c is null || !c.ConsentJourney) return (false, null);
        var errors = new FieldErrors();
        if (number is < 1 or > 4) errors.Add("number", "Phases are numbered 1 to 4.");
        var reason = input.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors.Add("reason", "Please give a short reason. The person will see it.");
        errors.MaxLength("reason", reason, MaxReason);
        if (errors.Any) return (true, errors);
        await rules.SetOverrideAsync(personId, number, input.Open, therapistId, ct);
        var action = input.Open switch { true => "opened", false => "closed", null => "reset" };
        await accessLog.RecordAsync(personId, therapistId, action, "phase", number.ToString(CultureInfo.InvariantCulture), reason, ct: ct);
        hub.Publish(personId, "journey.changed", c.Id);
        return (true, null);
    }
}
