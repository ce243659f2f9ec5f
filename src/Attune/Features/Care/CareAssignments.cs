using System.Globalization;
using Attune.Data;
using Attune.Features.Assessments;
using Attune.Features.Journey;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// Practices and check-ins a therapist asks a person to do by a date: set, shown to both, done
/// when the person completes one after it was set, reminded a day before, and (for recurring
/// check-ins) set again at each due time.
/// </summary>
public sealed class CareAssignments(AttuneDb db, CareService care, Practices practices, Instruments instruments, EventHub hub,
    Infrastructure.Push.Notices notices, TimeProvider clock)
{
    public const string ReminderKind = "care.assignment";
    public const int MaxNote = 1000;
    public static readonly TimeSpan RemindBefore = TimeSpan.FromHours(24);

    public async Task<(AssignmentDto? Assignment, bool Found, FieldErrors? Errors)> CreateAsync(string therapistId, string personId, AssignmentInput input, CancellationToken ct = default)
    {
        var c = await care.ActiveBetweenAsync(therapistId, personId, ct);
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
            row.Note = (await care.SharedKeyAsync(c, therapistId, ct)).Seal(CareAssignment.Table, row.Id.ToString(), "note", note);
        db.Add(row);
        db.Add(ReminderJob(row, now));
        await db.SaveChangesAsync(ct);
        hub.Publish(personId, "assignment.created", row.Id);
        await care.NotifyAsync(personId, "Something new from your therapist on Attune",
            "Your therapist has suggested something for you to try. Sign in to see it, and do it at your own pace.", "/", ct);
        return ((await OfAsync(c, therapistId, ct)).First(a => a.Id == row.Id), true, null);
    }

    /// <summary>The person's assignments from every therapist they are connected with, open ones first.</summary>
    public async Task<IReadOnlyList<AssignmentDto>> ForPersonAsync(string personId, CancellationToken ct = default)
    {
        var rows = await db.Set<CareRelationship>().AsNoTracking().Where(c => c.PersonId == personId && c.Status == CareStatus.Active).ToListAsync(ct);
        return await ForPersonAsync(personId, rows.Select(c => (c, (string?)null)).ToList(), ct);
    }

    /// <summary>
    /// The same, with the person's active care relationships already read (Today reads them for its
    /// people) and, where known, each therapist's name: neither is read again.
    /// </summary>
    public async Task<IReadOnlyList<AssignmentDto>> ForPersonAsync(string personId, IReadOnlyList<(CareRelationship Care, string? TherapistName)> active, CancellationToken ct = default)
    {
        var result = new List<AssignmentDto>();
        foreach (var (c, name) in active)
            if (c.PersonId == personId && c.Status == CareStatus.Active) result.AddRange(await OfAsync(c, personId, ct, name));
        return result.OrderBy(a => a.DoneAt is not null).ThenBy(a => a.DueAt).ToList();
    }

    /// <summary>
    /// A relationship's assignments with whether each is done: the first completion of that practice
    /// (or check-in) after it was set, each completion counting for one assignment. The therapist
    /// sees how it went only under the matching consent; the person always sees their own.
    /// </summary>
    /// <param name="therapistName">The therapist's name when the caller has it (else it is read).</param>
    public async Task<List<AssignmentDto>> OfAsync(CareRelationship c, string viewerId, CancellationToken ct, string? therapistName = null)
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
            .OrderBy(x => x.TakenAt).ToListAsync(ct);
        var used = new HashSet<Guid>();
        var isTherapist = viewerId == c.TherapistId;
        SharedKey? key = null;
        therapistName ??= await db.Set<TherapistProfile>().AsNoTracking().Where(p => p.UserId == c.TherapistId).Select(p => p.Name).FirstOrDefaultAsync(ct) ?? "Your therapist";
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
                    // Even when it was done is the person's journey: the therapist sees it only with that consent.
                    if (!isTherapist || c.ConsentJourney) (doneAt, before, after) = (s.At, s.SudsBefore, s.SudsAfter);
                }
                title = practices.Find(a.Code)?.Title ?? a.Code;
                link = $"/practices/{a.Code}";
            }
            else
            {
                var x = checkIns.FirstOrDefault(x => x.Instrument == a.Code && x.TakenAt >= a.CreatedAt && !used.Contains(x.Id));
                if (x is not null)
                {
                    used.Add(x.Id);
                    // Scored only for someone who may see it: the result is sealed until opened here.
                    if ((!isTherapist || c.ConsentCheckIns) && await db.ScoreAsync(instruments, x, ct) is { } scored)
                        (doneAt, score, band) = (x.TakenAt, scored.Total, scored.Band);
                }
                title = instruments.Find(a.Code)?.Title ?? a.Code;
                link = $"/check-ins/{a.Code}";
            }
            string? note = null;
            if (a.Note is not null)
            {
                key ??= await care.SharedKeyAsync(c, viewerId, ct);
                note = key.Open(CareAssignment.Table, a.Id.ToString(), "note", a.Note);
            }
            result.Add(new AssignmentDto(a.Id, c.Id, a.Kind, a.Code, title, new DateTimeOffset(a.DueAt), note, new DateTimeOffset(a.CreatedAt),
                doneAt is { } d ? new DateTimeOffset(d) : null, before, after, score, band, therapistName, link, a.RepeatDays));
        }
        return result;
    }

    private static Job ReminderJob(CareAssignment a, DateTime now) =>
        new() { Id = Infrastructure.SequentialGuid.Next(), Kind = ReminderKind, Subject = a.Id, DueAt = a.DueAt - RemindBefore > now ? a.DueAt - RemindBefore : now };

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
            var done = (await OfAsync(c, c.PersonId, ct)).First(x => x.Id == a.Id).DoneAt is not null;
            if (!done)
            {
                const string text = "Something your therapist suggested is due soon. Only if it feels right; you can always tell them it wasn't a good time.";
                notices.Send(new(c.PersonId, text, "/", Urgent: false));
                await care.NotifyAsync(c.PersonId, "A gentle reminder from Attune", text, "/", ct);
            }
            return a.RepeatDays is null ? null : a.DueAt;
        }
        if (a.RepeatDays is not { } days) return null;
        var next = new CareAssignment { Id = Infrastructure.SequentialGuid.Next(), CareId = a.CareId, Kind = a.Kind, Code = a.Code, DueAt = a.DueAt.AddDays(days), CreatedAt = a.DueAt, RepeatDays = days };
        if (a.Note is not null)
        {
            var key = await care.SharedKeyAsync(c, c.TherapistId, ct);
            next.Note = key.Seal(CareAssignment.Table, next.Id.ToString(), "note", key.Open(CareAssignment.Table, a.Id.ToString(), "note", a.Note));
        }
        db.Add(next);
        db.Add(ReminderJob(next, now));
        await db.SaveChangesAsync(ct);
        hub.Publish(c.PersonId, "assignment.created", next.Id);
        return null;
    }
}
