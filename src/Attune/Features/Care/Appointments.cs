using System.Globalization;
using System.Text;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Care;

/// <summary>
/// Session times between a therapist and a person: the therapist proposes up to three, the person
/// accepts one. Each side sees times in their own time zone and can add an accepted one to their
/// calendar (.ics). A day before, both get a reminder that names no one. Either side can cancel.
/// </summary>
public sealed class Appointments(AttuneDb db, CareService care, EventHub hub, Infrastructure.Push.Notices notices, TimeProvider clock)
{
    public const string ReminderJob = "care.appointment";
    public const int MaxOptions = 3, MaxWhere = 300, MaxUpcoming = 100;
    public const string ChangedEvent = "appointment.changed";

    /// <summary>The person's own time zone (IANA id).</summary>
    public async Task<string> ZoneOfAsync(string userId, CancellationToken ct) =>
        (await db.ProfileAsync(userId, ct))?.TimeZoneId ?? "UTC";

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var z) ? z : TimeZoneInfo.Utc;

    /// <summary>The therapist proposes times for a person they work with. Not found (404) without an active relationship.</summary>
    public async Task<(IReadOnlyList<AppointmentDto>? Options, bool Found, FieldErrors? Errors)> ProposeAsync(string therapistId, string personId, ProposalInput input, CancellationToken ct = default)
    {
        var c = await care.ActiveBetweenAsync(therapistId, personId, ct);
        if (c is null) return (null, false, null);
        var errors = new FieldErrors();
        var now = clock.GetUtcNow().UtcDateTime;
        var starts = new List<DateTime>();
        var options = (input.Options ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).ToList();
        if (options.Count == 0) errors.Add("options", "Please offer at least one time.");
        else if (options.Count > MaxOptions) errors.Add("options", $"Please offer up to {MaxOptions} times.");
        foreach (var o in options.Take(MaxOptions))
        {
            if (!DateTimeOffset.TryParse(o, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) || !HasOffset(o)) { errors.Add("options", "Please give each time with its offset, like 2026-12-01T10:00:00+00:00."); break; }
            if (at.UtcDateTime < now.AddMinutes(5) || at.UtcDateTime > now.AddDays(366)) { errors.Add("options", "Please choose times from now to a year ahead."); break; }
            starts.Add(at.UtcDateTime);
        }
        var minutes = input.Minutes ?? 50;
        errors.Range("minutes", minutes, 15, 180);
        var where = string.IsNullOrWhiteSpace(input.Where) ? null : input.Where.Trim();
        errors.MaxLength("where", where, MaxWhere);
        if (!errors.Any && await db.Set<CareAppointment>().CountAsync(a => a.CareId == c.Id && a.StartsAt > now, ct) + starts.Count > MaxUpcoming)
            errors.Add("options", $"There are already {MaxUpcoming} upcoming times. Please cancel some first.");
        if (errors.Any) return (null, true, errors);

        var key = await care.SharedKeyAsync(c, therapistId, ct);
        var proposal = Infrastructure.SequentialGuid.Next();
        var rows = starts.Distinct().Order().Select(s => new CareAppointment
        {
            Id = Infrastructure.SequentialGuid.Next(),
            CareId = c.Id,
            ProposalId = proposal,
            StartsAt = s,
            Minutes = minutes,
            Status = "proposed",
            CreatedAt = now,
        }).ToList();
        foreach (var r in rows)
        {
            if (where is not null) r.Where = key.Seal(CareAppointment.Table, r.Id.ToString(), "where", where);
            db.Add(r);
        }
        await db.SaveChangesAsync(ct);
        hub.Publish(personId, ChangedEvent, c.Id);
        await care.NotifyAsync(personId, "Your therapist has suggested a time", "Your therapist has suggested a time to meet. Sign in to see it and answer.", "/care", ct);
        var mine = await ListAsync(therapistId, ct);
        return (mine.Where(a => a.ProposalId == proposal).ToList(), true, null);
    }

    private static bool HasOffset(string value) => value.EndsWith('Z') || value.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(value, @"[+-]\d{2}:?\d{2}$");

    /// <summary>My upcoming and proposed times, in both roles, in my time zone.</summary>
    public async Task<IReadOnlyList<AppointmentDto>> ListAsync(string userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await (from a in db.Set<CareAppointment>().AsNoTracking()
                          join c in db.Set<CareRelationship>().AsNoTracking().Where(CareRelationship.Involving(userId)) on a.CareId equals c.Id
                          where c.Status == CareStatus.Active && a.StartsAt > now.AddHours(-12)
                          orderby a.StartsAt
                          select new { a, c }).Take(MaxUpcoming * 2).ToListAsync(ct);
        var zoneId = await ZoneOfAsync(userId, ct);
        var zone = Zone(zoneId);
        var result = new List<AppointmentDto>();
        var names = new Dictionary<Guid, (string Name, SharedKey Key)>();
        foreach (var x in rows)
        {
            if (!names.TryGetValue(x.c.Id, out var n))
                names[x.c.Id] = n = ((await care.DtoAsync(x.c, userId, ct)).OtherName, await care.SharedKeyAsync(x.c, userId, ct));
            var local = TimeZoneInfo.ConvertTimeFromUtc(x.a.StartsAt, zone);
            result.Add(new AppointmentDto(x.a.Id, x.c.Id, x.a.ProposalId, n.Name, x.c.PersonId == userId ? "person" : "therapist", x.a.Status,
                new DateTimeOffset(x.a.StartsAt), x.a.Minutes, local.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture), zoneId,
                x.a.Where is null ? null : n.Key.Open(CareAppointment.Table, x.a.Id.ToString(), "where", x.a.Where)));
        }
        return result;
    }

    private async Task<(CareAppointment Appointment, CareRelationship Care)?> FindAsync(string userId, Guid id, CancellationToken ct)
    {
        var x = await (from a in db.Set<CareAppointment>()
                       join c in db.Set<CareRelationship>().Where(CareRelationship.Involving(userId)) on a.CareId equals c.Id
                       where a.Id == id && c.Status == CareStatus.Active
                       select new { a, c }).FirstOrDefaultAsync(ct);
        return x is null ? null : (x.a, x.c);
    }

    /// <summary>The person accepts one proposed time; the proposal's other times go. Null (404) for anyone outside it.</summary>
    public async Task<(AppointmentDto? Appointment, FieldErrors? Errors)> AcceptAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (a, c)) return (null, null);
        var errors = new FieldErrors();
        if (c.PersonId != userId) errors.Add("appointment", "The person you work with chooses the time.");
        else if (a.Status != "proposed") errors.Add("appointment", "This time is already agreed.");
        else if (a.StartsAt <= clock.GetUtcNow().UtcDateTime) errors.Add("appointment", "This time has passed. Please ask for another.");
        if (errors.Any) return (null, errors);
        a.Status = "accepted";
        db.RemoveRange(await db.Set<CareAppointment>().Where(o => o.ProposalId == a.ProposalId && o.Id != a.Id).ToListAsync(ct));
        var now = clock.GetUtcNow().UtcDateTime;
        db.Add(new Job { Id = Infrastructure.SequentialGuid.Next(), Kind = ReminderJob, Subject = a.Id, DueAt = a.StartsAt - TimeSpan.FromHours(24) > now ? a.StartsAt - TimeSpan.FromHours(24) : now });
        await db.SaveChangesAsync(ct);
        hub.Publish(c.TherapistId, ChangedEvent, c.Id);
        await care.NotifyAsync(c.TherapistId, "A time is agreed on Attune", "Someone you work with has chosen a time to meet. Sign in to see it.", "/caseload", ct);
        return ((await ListAsync(userId, ct)).First(x => x.Id == id), null);
    }

    /// <summary>Either side cancels a time (or the person turns down a proposal): every option of it goes.</summary>
    public async Task<bool> CancelAsync(string userId, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(userId, id, ct) is not var (a, c)) return false;
        if (a.Status == "accepted") db.Remove(a);
        else db.RemoveRange(await db.Set<CareAppointment>().Where(x => x.ProposalId == a.ProposalId).ToListAsync(ct));
        await db.SaveChangesAsync(ct); // through the write gate, in one transaction
        var other = c.PersonId == userId ? c.TherapistId : c.PersonId;
        hub.Publish(other, ChangedEvent, c.Id);
        await care.NotifyAsync(other, "A time has changed on Attune", "A time to meet has been cancelled or turned down. Sign in to see it, and to find another.", c.PersonId == userId ? "/caseload" : "/care", ct);
        return true;
    }

    /// <summary>An agreed time as an iCalendar file, for either of the two.</summary>
    public async Task<string?> IcsAsync(string userId, Guid id, CancellationToken ct = default)
    {
        var dto = (await ListAsync(userId, ct)).FirstOrDefault(a => a.Id == id && a.Status == "accepted");
        if (dto is null) return null;
        static string Esc(string v) => v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        static string Utc(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var start = dto.StartsAt.UtcDateTime;
        var ics = new StringBuilder();
        void Line(string l) => ics.Append(l).Append("\r\n");
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//Attune//Care//EN");
        Line("METHOD:PUBLISH");
        Line("BEGIN:VEVENT");
        Line($"UID:{dto.Id}@attune");
        Line($"DTSTAMP:{Utc(clock.GetUtcNow().UtcDateTime)}");
        Line($"DTSTART:{Utc(start)}");
        Line($"DTEND:{Utc(start.AddMinutes(dto.Minutes))}");
        Line($"SUMMARY:{Esc($"Session with {dto.With}")}");
        if (dto.Where is not null) Line($"LOCATION:{Esc(dto.Where)}");
        Line("END:VEVENT");
        Line("END:VCALENDAR");
        return ics.ToString();
    }

    /// <summary>The reminder a day before: to both, naming no one and saying nothing of what it is about.</summary>
    public async Task<DateTime?> RemindAsync(Guid id, CancellationToken ct = default)
    {
        var x = await (from a in db.Set<CareAppointment>().AsNoTracking()
                       join c in db.Set<CareRelationship>().AsNoTracking() on a.CareId equals c.Id
                       where a.Id == id && a.Status == "accepted" && c.Status == CareStatus.Active
                       select new { a.StartsAt, c.PersonId, c.TherapistId }).FirstOrDefaultAsync(ct);
        if (x is null || x.StartsAt <= clock.GetUtcNow().UtcDateTime) return null;
        const string text = "You have a session coming up. Sign in to see when.";
        foreach (var who in new[] { x.PersonId, x.TherapistId })
        {
            notices.Send(new(who, text, "/care", Urgent: false));
            await care.NotifyAsync(who, "A session coming up", text, "/care", ct);
        }
        return null;
    }
}
