using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Account;
using Attune.Features.Activations;
using Attune.Features.Assessments;
using Attune.Features.Circle;
using Attune.Features.Journey;
using Attune.Features.Privacy;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// Connecting with a therapist and what the therapist may then see. Every read about a person
/// goes through an active relationship and the person's consent for that part; without both it
/// answers as if the person did not exist. Each read of a person's data is written to their
/// access log.
/// </summary>
public sealed class CareService(
    AttuneDb db, TherapistDirectory directory, JourneyRules rules, Practices practices, Instruments instruments, AccessLog accessLog,
    EventHub hub, Mailer mailer, AccountEmails links, Infrastructure.Push.PushSender push, TimeProvider clock)
{
    public const string AssignmentJob = "care.assignment";
    public static readonly TimeSpan RemindBefore = TimeSpan.FromHours(24);
    public const int MaxMessage = 1000, MaxNote = 1000, MaxReason = 300, MaxRelationships = 200, MaxChat = 4000, MaxChatMessages = 2000;
    public const string MessageEvent = "care.message", EndedEvent = "care.ended";
    private const string KeyField = "pairkey";

    // ---- connecting ----

    /// <summary>A person asks a listed therapist to connect. Null: no such listed profile (404).</summary>
    public async Task<(CareDto? Care, FieldErrors? Errors)> RequestAsync(string personId, Guid profileId, ConnectInput input, CancellationToken ct = default)
    {
        var profile = await directory.GetAsync(profileId, ct);
        if (profile is null) return (null, null);
        var therapistId = await db.Set<TherapistProfile>().Where(p => p.Id == profileId).Select(p => p.UserId).FirstAsync(ct);
        var errors = new FieldErrors();
        var message = string.IsNullOrWhiteSpace(input.Message) ? null : input.Message.Trim();
        errors.MaxLength("message", message, MaxMessage);
        if (therapistId == personId) errors.Add("therapistId", "This is your own profile.");
        if (!profile.Accepting) errors.Add("therapistId", "This therapist isn't taking new people right now.");
        var existing = await db.Set<CareRelationship>().FirstOrDefaultAsync(c => c.PersonId == personId && c.TherapistId == therapistId, ct);
        if (existing?.Status == CareStatus.Requested) errors.Add("therapistId", "You've already asked. They'll answer when they can.");
        if (existing?.Status == CareStatus.Active) errors.Add("therapistId", "You're already connected with this therapist.");
        CheckIn? signs = null;
        if (input.AttachSigns == true)
        {
            signs = await db.Set<CheckIn>().AsNoTracking().Where(c => c.OwnerId == personId && c.Instrument == "signs").OrderByDescending(c => c.TakenAt).FirstOrDefaultAsync(ct);
            if (signs is null) errors.Add("attachSigns", "You haven't taken the Signs check-in yet, so there is nothing to attach.");
        }
        if (errors.Any) return (null, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var row = existing ?? new CareRelationship { Id = Infrastructure.SequentialGuid.Next(), PersonId = personId, TherapistId = therapistId };
        var key = RandomNumberGenerator.GetBytes(32);
        row.PairKeyPerson = await db.SealBytesAsync(personId, CareRelationship.Table, row.Id.ToString(), KeyField, key, ct);
        row.PairKeyTherapist = await db.SealBytesAsync(therapistId, CareRelationship.Table, row.Id.ToString(), KeyField, key, ct);
        row.Status = CareStatus.Requested;
        row.Message = message is null ? null : Vault.SealWithPairKey(key, row.Id, CareRelationship.Table, row.Id.ToString(), "message", message);
        row.Signs = signs is null ? null : Vault.SealWithPairKey(key, row.Id, CareRelationship.Table, row.Id.ToString(), "signs", JsonSerializer.Serialize(Snapshot(signs)));
        row.ConsentJourney = row.ConsentCheckIns = row.ConsentActivations = false;
        row.RequestedAt = now;
        row.AnsweredAt = null;
        if (existing is null) db.Add(row);
        await db.SaveChangesAsync(ct);
        hub.Publish(therapistId, "care.requested", row.Id);
        await NotifyAsync(therapistId, "Someone has asked to connect with you on Attune",
            "Someone found your profile in the Attune directory and asked to connect. Sign in to read their request and answer it.", "/caseload", ct);
        return (await GetAsync(personId, row.Id, ct), null);
    }

    private SignsSnapshot Snapshot(CheckIn c)
    {
        var instrument = instruments.Find("signs")!;
        return new SignsSnapshot(c.Total, instrument.MaxTotal, c.Band, JsonSerializer.Deserialize<Dictionary<string, int>>(c.Subscales) ?? [], new DateTimeOffset(c.TakenAt));
    }

    /// <summary>The requests waiting for this therapist, with what each person wrote.</summary>
    public async Task<IReadOnlyList<CareRequestDto>> RequestsAsync(string therapistId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking().Where(c => c.TherapistId == therapistId && c.Status == CareStatus.Requested)
            .OrderBy(c => c.RequestedAt).Take(MaxRelationships).ToListAsync(ct);
        var result = new List<CareRequestDto>();
        foreach (var c in rows)
        {
            var key = await KeyAsync(c, therapistId, ct);
            var message = c.Message is null ? null : Vault.OpenWithPairKey(key, c.Id, CareRelationship.Table, c.Id.ToString(), "message", c.Message);
            var signs = c.Signs is null ? null
                : JsonSerializer.Deserialize<SignsSnapshot>(Vault.OpenWithPairKey(key, c.Id, CareRelationship.Table, c.Id.ToString(), "signs", c.Signs));
            if (signs is not null) await accessLog.RecordAsync(c.PersonId, therapistId, "read", "signs", c.Id.ToString(), ct: ct);
            result.Add(new CareRequestDto(c.Id, c.PersonId, await PersonNameAsync(c.PersonId, ct), message, signs, new DateTimeOffset(c.RequestedAt)));
        }
        return result;
    }

    /// <summary>The therapist accepts or declines. Null: no such request of theirs (404).</summary>
    public async Task<CareDto?> AnswerAsync(string therapistId, Guid id, bool accept, CancellationToken ct = default)
    {
        var row = await db.Set<CareRelationship>().FirstOrDefaultAsync(c => c.Id == id && c.TherapistId == therapistId && c.Status == CareStatus.Requested, ct);
        if (row is null) return null;
        row.Status = accept ? CareStatus.Active : CareStatus.Declined;
        row.AnsweredAt = clock.GetUtcNow().UtcDateTime;
        row.Message = null; // the request has done its work
        row.Signs = null;
        await db.SaveChangesAsync(ct);
        hub.Publish(row.PersonId, "care.answered", row.Id);
        await NotifyAsync(row.PersonId, "Your request on Attune has an answer",
            accept
                ? "The therapist you asked to connect with has said yes. Sign in to choose what they may see. Nothing is shared until you choose."
                : "The therapist you asked to connect with can't take this on right now. That isn't about you. The directory has others you could ask.",
            "/care", ct);
        return await DtoAsync(row, therapistId, ct);
    }

    public async Task<IReadOnlyList<CareDto>> ListAsync(string userId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking()
            .Where(c => c.PersonId == userId || (c.TherapistId == userId && c.Status != CareStatus.Declined))
            .OrderBy(c => c.RequestedAt).Take(MaxRelationships).ToListAsync(ct);
        var result = new List<CareDto>();
        foreach (var c in rows) result.Add(await DtoAsync(c, userId, ct));
        return result;
    }

    public async Task<CareDto?> GetAsync(string userId, Guid id, CancellationToken ct = default) =>
        await db.Set<CareRelationship>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && (c.PersonId == userId || c.TherapistId == userId), ct) is { } c
        && !(c.TherapistId == userId && c.Status == CareStatus.Declined)
            ? await DtoAsync(c, userId, ct) : null;

    public async Task<CareDto> DtoAsync(CareRelationship c, string userId, CancellationToken ct)
    {
        var asPerson = c.PersonId == userId;
        var profile = await db.Set<TherapistProfile>().AsNoTracking().Where(p => p.UserId == c.TherapistId).Select(p => new { p.Id, p.Name }).FirstOrDefaultAsync(ct);
        var other = asPerson ? profile?.Name ?? "A therapist" : await PersonNameAsync(c.PersonId, ct);
        return new CareDto(c.Id, asPerson ? "person" : "therapist", c.Status, asPerson ? c.TherapistId : c.PersonId, other, profile?.Id,
            Consent(c), new DateTimeOffset(c.RequestedAt), c.Status == CareStatus.Active && c.AnsweredAt is { } a ? new DateTimeOffset(a) : null);
    }

    private static Consents Consent(CareRelationship c) => new(c.ConsentJourney, c.ConsentCheckIns, c.ConsentActivations);

    /// <summary>Only the person sets what their therapist may see; it takes effect on the next request.</summary>
    public async Task<(CareDto? Care, FieldErrors? Errors)> SetConsentsAsync(string userId, Guid id, ConsentsPatch patch, CancellationToken ct = default)
    {
        var row = await db.Set<CareRelationship>().FirstOrDefaultAsync(c => c.Id == id && (c.PersonId == userId || c.TherapistId == userId), ct);
        if (row is null || (row.TherapistId == userId && row.Status == CareStatus.Declined)) return (null, null);
        var errors = new FieldErrors();
        if (row.PersonId != userId) errors.Add("consents", "Only the person can choose what their therapist may see.");
        else if (row.Status != CareStatus.Active) errors.Add("consents", "You can choose what they may see once they have said yes.");
        if (errors.Any) return (null, errors);
        row.ConsentJourney = patch.Journey ?? row.ConsentJourney;
        row.ConsentCheckIns = patch.CheckIns ?? row.ConsentCheckIns;
        row.ConsentActivations = patch.Activations ?? row.ConsentActivations;
        row.ConsentsChangedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        hub.Publish(row.TherapistId, "care.changed", row.Id);
        return (await GetAsync(userId, id, ct), null);
    }

    /// <summary>Either side ends it (or the person withdraws a request). Everything under it goes at once.</summary>
    public async Task<bool> EndAsync(string userId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<CareRelationship>().FirstOrDefaultAsync(c => c.Id == id && (c.PersonId == userId || c.TherapistId == userId), ct);
        if (row is null || (row.TherapistId == userId && row.Status == CareStatus.Declined)) return false;
        db.Remove(row);
        await db.SaveChangesAsync(ct);
        hub.Publish(row.PersonId, EndedEvent, row.Id);
        hub.Publish(row.TherapistId, EndedEvent, row.Id);
        return true;
    }

    // ---- the therapist's workspace ----

    private Task<CareRelationship?> ActiveAsync(string therapistId, string personId, CancellationToken ct) =>
        db.Set<CareRelationship>().AsNoTracking().FirstOrDefaultAsync(c => c.TherapistId == therapistId && c.PersonId == personId && c.Status == CareStatus.Active, ct);

    public async Task<IReadOnlyList<CaseloadEntry>> CaseloadAsync(string therapistId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking().Where(c => c.TherapistId == therapistId && c.Status == CareStatus.Active)
            .OrderBy(c => c.AnsweredAt).Take(MaxRelationships).ToListAsync(ct);
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
            flag = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == c.PersonId && x.Instrument == "phq9")
                .OrderByDescending(x => x.TakenAt).Select(x => (bool?)x.Safety).FirstOrDefaultAsync(ct) == true;
        }
        var activations = c.ConsentActivations ? await ActivationTrendAsync(c.PersonId, ct) : null;
        var assignments = await AssignmentsOfAsync(c, therapistId, ct);
        if (c.ConsentJourney || c.ConsentCheckIns || c.ConsentActivations)
            await accessLog.RecordAsync(c.PersonId, therapistId, "read", "caseload", c.Id.ToString(), ct: ct);
        var open = assignments.Where(a => a.DoneAt is null).ToList();
        return new CaseloadEntry(c.PersonId, c.Id, await PersonNameAsync(c.PersonId, ct), new DateTimeOffset(c.AnsweredAt ?? c.RequestedAt), Consent(c),
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
            var first = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == personId && x.Instrument == r.Code && x.TakenAt == r.First).Select(x => x.Total).FirstAsync(ct);
            var last = await db.Set<CheckIn>().AsNoTracking().Where(x => x.OwnerId == personId && x.Instrument == r.Code && x.TakenAt == r.Last).FirstAsync(ct);
            result.Add(new CheckInSummary(r.Code, instrument.Title, last.Total, first, instrument.MaxTotal, last.Band, new DateTimeOffset(last.TakenAt), r.Count));
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
        return rows.Where(x => instruments.Find(x.Instrument) is not null).Select(x => CheckIns.ToDto(instruments.Find(x.Instrument)!, x, answers: null)).ToList();
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
        await accessLog.RecordAsync(personId, therapistId, action, "phase", number.ToString(CultureInfo.InvariantCulture), reason, ct);
        hub.Publish(personId, "journey.changed", c.Id);
        return (true, null);
    }

    // ---- assignments ----

    public async Task<(AssignmentDto? Assignment, bool Found, FieldErrors? Errors)> AssignAsync(string therapistId, string personId, AssignmentInput input, CancellationToken ct = default)
    {
        var c = await ActiveAsync(therapistId, personId, ct);
        if (c is null) return (null, false, null);
        var errors = new FieldErrors();
        var practice = string.IsNullOrWhiteSpace(input.Practice) ? null : input.Practice.Trim();
        var instrument = string.IsNullOrWhiteSpace(input.Instrument) ? null : input.Instrument.Trim();
        if ((practice is null) == (instrument is null)) errors.Add("practice", "Please choose one practice or one check-in.");
        else if (practice is not null && practices.Find(practice) is null) errors.Add("practice", "There is no practice with that name.");
        else if (instrument is not null && instruments.Find(instrument) is null) errors.Add("instrument", "Please choose signs, phq9 or gad7.");
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime? due = null;
        if (string.IsNullOrWhiteSpace(input.DueAt)) errors.Add("dueAt", "Please give a date it's due, like 2026-12-01.");
        else if (DateOnly.TryParseExact(input.DueAt, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            due = day.ToDateTime(new TimeOnly(23, 59), DateTimeKind.Utc); // "by" a day: by the end of it
        else if (DateTimeOffset.TryParse(input.DueAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) due = d.UtcDateTime;
        else errors.Add("dueAt", "Please give a date like 2026-12-01, or a time like 2026-12-01T18:00:00Z.");
        if (due is { } dd && (dd < now.AddDays(-1) || dd > now.AddDays(366))) errors.Add("dueAt", "Please choose a date from today to a year from now.");
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        errors.MaxLength("note", note, MaxNote);
        errors.Range("repeatEveryDays", input.RepeatEveryDays, 7, 90);
        if (input.RepeatEveryDays is not null && practice is not null) errors.Add("repeatEveryDays", "Only check-ins can repeat.");
        if (errors.Any) return (null, true, errors);

        var row = new CareAssignment
        {
            Id = Infrastructure.SequentialGuid.Next(),
            CareId = c.Id,
            Kind = practice is not null ? "practice" : "checkIn",
            Code = practice ?? instrument!,
            DueAt = due!.Value,
            CreatedAt = now,
            RepeatDays = input.RepeatEveryDays,
        };
        if (note is not null)
            row.Note = Vault.SealWithPairKey(await KeyAsync(c, therapistId, ct), c.Id, CareAssignment.Table, row.Id.ToString(), "note", note);
        db.Add(row);
        db.Add(ReminderJob(row, now));
        await db.SaveChangesAsync(ct);
        hub.Publish(personId, "assignment.created", row.Id);
        await NotifyAsync(personId, "Something new from your therapist on Attune",
            "Your therapist has suggested something for you to try. Sign in to see it, and do it at your own pace.", "/", ct);
        return ((await AssignmentsOfAsync(c, therapistId, ct)).First(a => a.Id == row.Id), true, null);
    }

    /// <summary>The person's assignments from every therapist they are connected with, open ones first.</summary>
    public async Task<IReadOnlyList<AssignmentDto>> AssignmentsForPersonAsync(string personId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking().Where(c => c.PersonId == personId && c.Status == CareStatus.Active).ToListAsync(ct);
        var result = new List<AssignmentDto>();
        foreach (var c in rows) result.AddRange(await AssignmentsOfAsync(c, personId, ct));
        return result.OrderBy(a => a.DoneAt is not null).ThenBy(a => a.DueAt).ToList();
    }

    /// <summary>
    /// A relationship's assignments with whether each is done: the first completion of that practice
    /// (or check-in) after it was set, each completion counting for one assignment. The therapist
    /// sees how it went only under the matching consent; the person always sees their own.
    /// </summary>
    private async Task<List<AssignmentDto>> AssignmentsOfAsync(CareRelationship c, string viewerId, CancellationToken ct)
    {
        var rows = await db.Set<CareAssignment>().AsNoTracking().Where(a => a.CareId == c.Id).OrderBy(a => a.CreatedAt).Take(200).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var since = rows[0].CreatedAt;
        var slugs = rows.Where(a => a.Kind == "practice").Select(a => a.Code).Distinct().ToList();
        var codes = rows.Where(a => a.Kind == "checkIn").Select(a => a.Code).Distinct().ToList();
        var sessions = slugs.Count == 0 ? [] : await db.Set<PracticeSession>().AsNoTracking()
            .Where(s => s.OwnerId == c.PersonId && s.CompletedAt != null && s.CompletedAt >= since && slugs.Contains(s.PracticeSlug))
            .OrderBy(s => s.CompletedAt).Select(s => new { s.Id, s.PracticeSlug, At = s.CompletedAt!.Value, s.SudsBefore, s.SudsAfter }).ToListAsync(ct);
        var checkIns = codes.Count == 0 ? [] : await db.Set<CheckIn>().AsNoTracking()
            .Where(x => x.OwnerId == c.PersonId && x.TakenAt >= since && codes.Contains(x.Instrument))
            .OrderBy(x => x.TakenAt).Select(x => new { x.Id, x.Instrument, At = x.TakenAt, x.Total, x.Band }).ToListAsync(ct);
        var used = new HashSet<Guid>();
        var isTherapist = viewerId == c.TherapistId;
        byte[]? key = null;
        var therapistName = await db.Set<TherapistProfile>().AsNoTracking().Where(p => p.UserId == c.TherapistId).Select(p => p.Name).FirstOrDefaultAsync(ct) ?? "Your therapist";
        var result = new List<AssignmentDto>();
        foreach (var a in rows)
        {
            DateTime? doneAt = null;
            int? before = null, after = null, score = null;
            string? band = null, title, link;
            if (a.Kind == "practice")
            {
                var s = sessions.FirstOrDefault(s => s.PracticeSlug == a.Code && s.At >= a.CreatedAt && !used.Contains(s.Id));
                if (s is not null)
                {
                    used.Add(s.Id);
                    doneAt = s.At;
                    if (!isTherapist || c.ConsentJourney) (before, after) = (s.SudsBefore, s.SudsAfter);
                }
                title = practices.Find(a.Code)?.Title ?? a.Code;
                link = $"/practices/{a.Code}";
            }
            else
            {
                var x = checkIns.FirstOrDefault(x => x.Instrument == a.Code && x.At >= a.CreatedAt && !used.Contains(x.Id));
                if (x is not null)
                {
                    used.Add(x.Id);
                    doneAt = x.At;
                    if (!isTherapist || c.ConsentCheckIns) (score, band) = (x.Total, x.Band);
                }
                title = instruments.Find(a.Code)?.Title ?? a.Code;
                link = $"/check-ins/{a.Code}";
            }
            string? note = null;
            if (a.Note is not null)
            {
                key ??= await KeyAsync(c, viewerId, ct);
                note = Vault.OpenWithPairKey(key, c.Id, CareAssignment.Table, a.Id.ToString(), "note", a.Note);
            }
            result.Add(new AssignmentDto(a.Id, c.Id, a.Kind, a.Code, title, new DateTimeOffset(a.DueAt), note, new DateTimeOffset(a.CreatedAt),
                doneAt is { } d ? new DateTimeOffset(d) : null, before, after, score, band, therapistName, link, a.RepeatDays));
        }
        return result;
    }

    private static Job ReminderJob(CareAssignment a, DateTime now) =>
        new() { Id = Infrastructure.SequentialGuid.Next(), Kind = AssignmentJob, Subject = a.Id, DueAt = a.DueAt - RemindBefore > now ? a.DueAt - RemindBefore : now };

    /// <summary>
    /// The assignment's job. Before it is due: if it isn't done, a reminder by email and push that
    /// says only that something is due (never what, never who). For a recurring check-in it comes
    /// back at the due time and sets the next one, with its own reminder. Null: nothing more to do.
    /// </summary>
    public async Task<DateTime?> RemindAsync(Guid assignmentId, CancellationToken ct = default)
    {
        var a = await db.Set<CareAssignment>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == assignmentId, ct);
        if (a is null) return null; // ended, or the account went
        var c = await db.Set<CareRelationship>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == a.CareId && x.Status == CareStatus.Active, ct);
        if (c is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (now < a.DueAt)
        {
            var done = (await AssignmentsOfAsync(c, c.PersonId, ct)).First(x => x.Id == a.Id).DoneAt is not null;
            if (!done)
            {
                const string text = "Something your therapist suggested is due soon. Only if it feels right; you can always tell them it wasn't a good time.";
                await push.SendAsync(c.PersonId, text, "/", urgent: false, ct);
                await NotifyAsync(c.PersonId, "A gentle reminder from Attune", text, "/", ct);
            }
            return a.RepeatDays is null ? null : a.DueAt;
        }
        if (a.RepeatDays is not { } days) return null;
        var next = new CareAssignment { Id = Infrastructure.SequentialGuid.Next(), CareId = a.CareId, Kind = a.Kind, Code = a.Code, DueAt = a.DueAt.AddDays(days), CreatedAt = a.DueAt, RepeatDays = days };
        if (a.Note is not null)
        {
            var key = await KeyAsync(c, c.TherapistId, ct);
            next.Note = Vault.SealWithPairKey(key, c.Id, CareAssignment.Table, next.Id.ToString(), "note",
                Vault.OpenWithPairKey(key, c.Id, CareAssignment.Table, a.Id.ToString(), "note", a.Note));
        }
        db.Add(next);
        db.Add(ReminderJob(next, now));
        await db.SaveChangesAsync(ct);
        hub.Publish(c.PersonId, "assignment.created", next.Id);
        return null;
    }

    // ---- secure messages ----

    public Task<CareRelationship?> ActiveOfAsync(string userId, Guid careId, CancellationToken ct) =>
        db.Set<CareRelationship>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == careId && c.Status == CareStatus.Active && (c.PersonId == userId || c.TherapistId == userId), ct);

    /// <summary>The conversation between a person and their therapist; null (404) for anyone else, or once it has ended.</summary>
    public async Task<CareConversation?> ConversationAsync(string userId, Guid careId, CancellationToken ct = default)
    {
        if (await ActiveOfAsync(userId, careId, ct) is not { } c) return null;
        var key = await KeyAsync(c, userId, ct);
        var other = (await DtoAsync(c, userId, ct)).OtherName;
        var rows = await db.Set<CareMessage>().AsNoTracking().Where(m => m.CareId == careId).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        return new CareConversation(careId, other, c.PersonId == userId ? "person" : "therapist", rows.Select(m => new ThreadMessageDto(m.Id, m.AuthorId == userId,
            m.AuthorId == userId ? "You" : other, Vault.OpenWithPairKey(key, c.Id, CareMessage.Table, m.Id.ToString(), "body", m.Body), new DateTimeOffset(m.CreatedAt))).ToList());
    }

    public async Task<(ThreadMessageDto? Message, FieldErrors? Errors)> PostMessageAsync(string userId, Guid careId, ThreadMessageInput input, CancellationToken ct = default)
    {
        if (await ActiveOfAsync(userId, careId, ct) is not { } c) return (null, null);
        var errors = new FieldErrors();
        var text = input.Text?.Trim();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write something to send.");
        errors.MaxLength("text", text, MaxChat);
        var last = await db.Set<CareMessage>().AsNoTracking().Where(m => m.CareId == careId).OrderByDescending(m => m.CreatedAt)
            .Select(m => new { m.AuthorId, m.CreatedAt }).FirstOrDefaultAsync(ct);
        if (!errors.Any && last is not null && await db.Set<CareMessage>().CountAsync(m => m.CareId == careId, ct) >= MaxChatMessages)
            errors.Add("text", $"This conversation has reached {MaxChatMessages} messages.");
        if (errors.Any) return (null, errors);
        var now = clock.GetUtcNow().UtcDateTime;
        var message = new CareMessage { Id = Infrastructure.SequentialGuid.Next(), CareId = careId, AuthorId = userId, CreatedAt = now };
        message.Body = Vault.SealWithPairKey(await KeyAsync(c, userId, ct), c.Id, CareMessage.Table, message.Id.ToString(), "body", text!);
        db.Add(message);
        await db.SaveChangesAsync(ct);
        var other = c.PersonId == userId ? c.TherapistId : c.PersonId;
        hub.Publish(userId, MessageEvent, careId);
        hub.Publish(other, MessageEvent, careId);
        // An email that says only "a message": when their page isn't open, and not for every line of a conversation in flow.
        if (!hub.IsConnected(other) && (last is null || last.AuthorId != userId || now - last.CreatedAt > TimeSpan.FromHours(1)))
        {
            await push.SendAsync(other, "There is a new message for you.", $"/care/{careId}/messages", urgent: false, ct);
            await NotifyAsync(other, "You have a new message on Attune", "There is a new message for you. Sign in to read it.", $"/care/{careId}/messages", ct);
        }
        return (new ThreadMessageDto(message.Id, true, "You", text!, new DateTimeOffset(now)), null);
    }

    // ---- helpers ----

    public Task<byte[]> PairKeyAsync(CareRelationship c, string userId, CancellationToken ct) => KeyAsync(c, userId, ct);

    private async Task<byte[]> KeyAsync(CareRelationship c, string userId, CancellationToken ct) =>
        userId == c.PersonId
            ? await db.OpenBytesAsync(c.PersonId, CareRelationship.Table, c.Id.ToString(), KeyField, c.PairKeyPerson, ct)
            : await db.OpenBytesAsync(c.TherapistId, CareRelationship.Table, c.Id.ToString(), KeyField, c.PairKeyTherapist, ct);

    public async Task<string> PersonNameAsync(string personId, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == personId, ct) is { } u ? await db.DisplayNameOrAsync(u, "Someone", ct) : "Someone";

    /// <summary>An email that says only that there is something to see: never a name, never what anyone wrote.</summary>
    public async Task NotifyAsync(string userId, string subject, string text, string path, CancellationToken ct)
    {
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        if (email is null) return;
        await mailer.SendAsync(email, subject, $"""
            Hello,

            {text}

            {links.BaseUrl}{path}

            Attune
            """, ct);
    }
}
