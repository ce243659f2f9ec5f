using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Observability;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Circle;

/// <summary>
/// Reaching out and being answered. A reach goes at once to the chosen people (by default everyone
/// in the circle who may receive reaches and is available now); each gets a live event, or an email
/// if they have no Attune page open. Emails say only that someone in their circle reached out.
/// If nobody answers "I'm here" or "soon" in time, an escalation job passes it to the next
/// available person in the person's order; when nobody is left, the person is shown their safety
/// plan's professionals and crisis lines.
/// </summary>
public sealed class Reaches(AttuneDb db, EventHub hub, AccountEmails links, Infrastructure.Push.Notices notices, Threads threads, WriteGate gate, AttuneMeters meters, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Urgencies = ["now", "today", "whenever"];
    public static readonly IReadOnlyList<string> Kinds = ["here", "soon", "cant"];
    public const int MaxMessage = 1000, DefaultEscalateAfter = 10;
    public const string EscalateJob = "reach.escalate";

    public async Task<(ReachDto? Reach, FieldErrors? Errors)> CreateAsync(string ownerId, ReachInput input, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var urgency = input.Urgency ?? "now";
        if (!Urgencies.Contains(urgency)) errors.Add("urgency", "Urgency can be now, today or whenever.");
        errors.MaxLength("message", input.Message, MaxMessage).Range("escalateAfterMinutes", input.EscalateAfterMinutes, 1, 24 * 60);
        var members = await db.Set<CircleMember>().AsNoTracking().Where(m => m.OwnerId == ownerId && m.CanReceiveReaches).OrderBy(m => m.Order).ToListAsync(ct);
        List<CircleMember> first;
        if (input.To is { Count: > 0 } to)
        {
            first = members.Where(m => to.Contains(m.Id)).ToList();
            for (var i = 0; i < to.Count; i++)
                if (!members.Any(m => m.Id == to[i])) errors.Add($"to[{i}]", "This person isn't in your circle, or doesn't receive reaches.");
        }
        else
        {
            first = [];
            foreach (var m in members) if (await AvailableAsync(m, urgency, ct)) first.Add(m);
        }
        if (errors.Any) return (null, errors);

        var now = clock.GetUtcNow().UtcDateTime;
        var reach = new Reach
        {
            Id = Infrastructure.SequentialGuid.Next(),
            OwnerId = ownerId,
            Urgency = urgency,
            CreatedAt = now,
            EscalateAfterMinutes = input.EscalateAfterMinutes ?? DefaultEscalateAfter,
        };
        if (!string.IsNullOrWhiteSpace(input.Message))
            reach.Message = await db.SealAsync(ownerId, Reach.Table, reach.Id.ToString(), "message", input.Message.Trim(), ct);
        foreach (var m in first)
            reach.Recipients.Add(new ReachRecipient { Id = Infrastructure.SequentialGuid.Next(), ReachId = reach.Id, SupporterId = m.SupporterId, MemberId = m.Id, Wave = 1, DeliveredAt = now });
        if (first.Count == 0) reach.ExhaustedAt = now;
        else db.Add(new Job { Id = Infrastructure.SequentialGuid.Next(), Kind = EscalateJob, Subject = reach.Id, DueAt = now.AddMinutes(reach.EscalateAfterMinutes) });
        db.Add(reach);
        await db.SaveChangesAsync(ct);
        foreach (var r in reach.Recipients) Notify(r.SupporterId, reach.Id, urgency == "now");
        return (await GetAsync(ownerId, reach.Id, markSeen: false, ct), null);
    }

    /// <summary>A supporter's hours, in their own time zone; "talk now" passes them only if they allowed it.</summary>
    private async Task<bool> AvailableAsync(CircleMember m, string urgency, CancellationToken ct)
    {
        if (m.AvailableFrom is null || m.AvailableTo is null || (urgency == "now" && m.TalkNowAnytime)) return true;
        var zoneId = (await db.ProfileAsync(m.SupporterId, ct))?.TimeZoneId ?? "UTC";
        return Available(m, urgency, zoneId, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Whether a reach of this urgency may go to someone with these <paramref name="hours"/> (as their circle row shows them) now.</summary>
    public static bool Available(Availability hours, string urgency, DateTime utcNow)
    {
        static int? Minute(string? hhmm) => TimeOnly.TryParseExact(hhmm, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t.Hour * 60 + t.Minute : null;
        return Available(Minute(hours.From), Minute(hours.To), hours.TalkNowAnytime, urgency, hours.TimeZone, utcNow);
    }

    /// <summary>Those of my supporters who receive reaches but whose hours keep a reach of this urgency from them now.</summary>
    public static IEnumerable<MemberDto> OutsideTheirHours(IEnumerable<MemberDto> supporters, string urgency, DateTime utcNow) =>
        supporters.Where(s => s.CanReceiveReaches && s.Availability.From is not null && !Available(s.Availability, urgency, utcNow));

    /// <summary>The next start of someone's hours, in their zone, said in mine: "from 08:00" or "tomorrow from 08:00".</summary>
    public static string NextStart(Availability hours, DateTimeOffset now, TimeZoneInfo mine)
    {
        var theirs = Care.Appointments.Zone(hours.TimeZone);
        var theirNow = TimeZoneInfo.ConvertTime(now, theirs).DateTime;
        var start = theirNow.Date + TimeOnly.ParseExact(hours.From!, "HH:mm", System.Globalization.CultureInfo.InvariantCulture).ToTimeSpan();
        if (start <= theirNow) start = start.AddDays(1);
        if (theirs.IsInvalidTime(start)) start = start.AddHours(1);
        var inMine = TimeZoneInfo.ConvertTimeFromUtc(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(start, DateTimeKind.Unspecified), theirs), mine);
        var today = TimeZoneInfo.ConvertTime(now, mine).Date;
        return (inMine.Date == today ? "from " : inMine.Date == today.AddDays(1) ? "tomorrow from " : inMine.ToString("dddd", System.Globalization.CultureInfo.InvariantCulture) + " from ")
            + inMine.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " your time";
    }

    /// <summary>Whether a reach of this urgency may go to <paramref name="m"/> now, given the supporter's own time zone.</summary>
    public static bool Available(CircleMember m, string urgency, string zoneId, DateTime utcNow) =>
        Available(m.AvailableFrom, m.AvailableTo, m.TalkNowAnytime, urgency, zoneId, utcNow);

    /// <summary>Hours as minutes after midnight in the supporter's zone (none set: always); "talk now" passes them if they allowed it.</summary>
    private static bool Available(int? availableFrom, int? availableTo, bool talkNowAnytime, string urgency, string zoneId, DateTime utcNow)
    {
        if (availableFrom is not { } from || availableTo is not { } to) return true;
        if (urgency == "now" && talkNowAnytime) return true;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var z) ? z : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(utcNow, zone);
        var minute = local.Hour * 60 + local.Minute;
        return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
    }

    /// <summary>
    /// Live on every open page at once; a push notice to every subscribed browser and, if neither
    /// reached them, an email, both from the background delivery queue: nobody's devices hold up
    /// the reach, and nobody else's escalation.
    /// </summary>
    private void Notify(string supporterId, Guid reachId, bool urgent)
    {
        hub.Publish(supporterId, "reach.received", reachId);
        notices.Send(new(supporterId, "Someone in your circle reached out.", $"/reaches/{reachId}", urgent, new("Someone in your circle reached out", $"""
            Hello,

            Someone in your circle on Attune reached out. Open Attune to see who, and to answer:

            {links.BaseUrl}/reaches/{reachId}

            Any answer is a kind one, including "I can't right now".

            Attune
            """)));
    }

    /// <summary>The reach for its sender or one of its recipients (a recipient opening it marks it seen); anyone else gets null.</summary>
    public async Task<ReachDto?> GetAsync(string userId, Guid id, bool markSeen, CancellationToken ct = default)
    {
        var reach = await db.Set<Reach>().Include(r => r.Recipients).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reach is null) return null;
        var mine = reach.Recipients.FirstOrDefault(r => r.SupporterId == userId);
        if (reach.OwnerId != userId && mine is null) return null;
        // A supporter reads it through the relationship it came by, while that lasts and still lets
        // them receive reaches: ending it ends access, and a later, new relationship doesn't reopen it.
        if (mine is not null && reach.OwnerId != userId
            && (mine.MemberId is not { } memberId || !await db.Set<CircleMember>().AnyAsync(m => m.Id == memberId && m.OwnerId == reach.OwnerId && m.SupporterId == userId && m.CanReceiveReaches, ct)))
            return null;
        if (markSeen && mine is { SeenAt: null })
        {
            mine.SeenAt = clock.GetUtcNow().UtcDateTime;
            await SaveCountingFirstsAsync(reach.Id, mine, ct);
            hub.Publish(reach.OwnerId, "reach.seen", reach.Id);
        }
        var ids = reach.Recipients.Select(r => r.SupporterId).Append(reach.OwnerId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var names = new Dictionary<string, string>();
        foreach (var (uid, u) in users) names[uid] = await db.DisplayNameOrAsync(u, "Someone in your circle", ct);
        if (reach.OwnerId == userId)
        {
            // The sender sees the names they gave their supporters.
            var members = await db.Set<CircleMember>().AsNoTracking().Where(m => m.OwnerId == userId && ids.Contains(m.SupporterId)).ToListAsync(ct);
            foreach (var m in members) names[m.SupporterId] = await db.OpenAsync(userId, CircleMember.Table, m.Id.ToString(), "name", m.Name, ct);
        }
        var message = reach.Message is null ? null : await db.OpenAsync(reach.OwnerId, Reach.Table, reach.Id.ToString(), "message", reach.Message, ct);
        // Only "I'm here" opens a conversation; most reaches have none to look up.
        var conversations = !reach.Recipients.Any(r => r.ResponseKind == "here") ? [] : await (
            from t in db.Set<CircleThread>().AsNoTracking()
            join m in db.Set<CircleMember>().AsNoTracking() on t.MemberId equals m.Id
            where t.ReachId == reach.Id
            select new { m.SupporterId, t.Id }).ToDictionaryAsync(x => x.SupporterId, x => x.Id, ct);
        var recipients = new List<ReachRecipientDto>();
        foreach (var r in reach.Recipients.OrderBy(r => r.Wave).ThenBy(r => r.DeliveredAt))
        {
            if (reach.OwnerId != userId && r.SupporterId != userId) continue; // a supporter sees only their own part
            var words = r.ResponseMessage is null ? null : await db.OpenAsync(r.SupporterId, ReachRecipient.Table, r.Id.ToString(), "message", r.ResponseMessage, ct);
            recipients.Add(new ReachRecipientDto(r.SupporterId, names.GetValueOrDefault(r.SupporterId, "Someone"),
                r.RespondedAt is not null ? "answered" : r.SeenAt is not null ? "seen" : "delivered", r.Wave,
                new DateTimeOffset(r.DeliveredAt), At(r.SeenAt), At(r.RespondedAt), r.ResponseKind, r.ResponseMinutes, words,
                conversations.TryGetValue(r.SupporterId, out var thread) ? thread : null));
        }
        return new ReachDto(reach.Id, reach.OwnerId == userId ? "sender" : "recipient", names[reach.OwnerId], reach.Urgency, message, reach.EscalateAfterMinutes,
            new DateTimeOffset(reach.CreatedAt), reach.ExhaustedAt is not null, recipients);
    }

    private static DateTimeOffset? At(DateTime? t) => t is { } v ? new DateTimeOffset(v) : null;

    /// <summary>A recipient answers; the sender hears it live.</summary>
    public async Task<(ReachDto? Reach, FieldErrors? Errors)> RespondAsync(string userId, Guid id, ResponseInput input, CancellationToken ct = default)
    {
        var recipient = await db.Set<ReachRecipient>().FirstOrDefaultAsync(r => r.ReachId == id && r.SupporterId == userId, ct);
        if (recipient is null || await GetAsync(userId, id, markSeen: false, ct) is null) return (null, null);
        var errors = new FieldErrors();
        if (input.Kind is null || !Kinds.Contains(input.Kind)) errors.Add("kind", "Please answer here, soon or cant.");
        if (input.Kind == "soon" && input.Minutes is null) errors.Add("minutes", "Please say in how many minutes you can talk.");
        errors.Range("minutes", input.Minutes, 1, 24 * 60).MaxLength("message", input.Message, MaxMessage);
        if (errors.Any) return (null, errors);
        // "I'm here" opens a live conversation between the two, and the supporter's words start it. Both are
        // saved before the answer (and before anything of the recipient's changes), so the person who reached
        // out never sees "here", with a way to talk, before the words are there to read.
        var ownerId = input.Kind == "here" ? await db.Set<Reach>().Where(r => r.Id == id).Select(r => r.OwnerId).FirstAsync(ct) : null;
        if (ownerId is not null && await db.Set<CircleMember>().AsNoTracking().FirstOrDefaultAsync(m => m.OwnerId == ownerId && m.SupporterId == userId, ct) is { } member)
        {
            var thread = await threads.OpenAsync(member, id, ct);
            if (!string.IsNullOrWhiteSpace(input.Message) && !await threads.HasMessagesAsync(thread, ct))
                await threads.PostAsync(userId, thread, new Infrastructure.Conversations.MessageInput(input.Message), ct);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        recipient.RespondedAt = now;
        recipient.SeenAt ??= now;
        recipient.ResponseKind = input.Kind;
        recipient.ResponseMinutes = input.Kind == "soon" ? input.Minutes : null;
        recipient.ResponseMessage = string.IsNullOrWhiteSpace(input.Message) ? null
            : await db.SealAsync(userId, ReachRecipient.Table, recipient.Id.ToString(), "message", input.Message.Trim(), ct);
        await SaveCountingFirstsAsync(id, recipient, ct);
        var reach = await db.Set<Reach>().Include(r => r.Recipients).FirstAsync(r => r.Id == id, ct);
        hub.Publish(reach.OwnerId, "reach.responded", id);
        // When everyone asked so far can't come, nobody waits for a timer: it moves on to the next
        // person now, or, with nobody left, the person is told at once and shown other help.
        if (input.Kind == "cant" && reach.ExhaustedAt is null && reach.Recipients.All(r => r.ResponseKind == "cant"))
        {
            var again = await MoveOnAsync(reach, EscalationCause.Declined, ct);
            var job = await db.Set<Job>().FirstOrDefaultAsync(j => j.Kind == EscalateJob && j.Subject == id && j.DoneAt == null, ct);
            if (job is not null)
            {
                if (again is { } due) job.DueAt = due;
                else job.DoneAt = clock.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(ct);
            }
        }
        return (await GetAsync(userId, id, markSeen: false, ct), null);
    }

    /// <summary>
    /// Saves a recipient's sighting or answer, and tells the operator's meters when it is the reach's
    /// first sighting or first answer, once per reach and on the node that saved it. Whether anyone
    /// saw or answered before is read from the stored rows while the reach's own row is locked, so two
    /// supporters opening it at the same moment, on two nodes, count once. The delay is between stored
    /// times (sent, then seen or answered); the meters get the urgency and the kind of answer, no ids.
    /// </summary>
    private async Task SaveCountingFirstsAsync(Guid reachId, ReachRecipient mine, CancellationToken ct)
    {
        bool firstSeen, firstAnswer;
        (DateTime Sent, string Urgency) reach = (default, "");
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // A write that changes nothing takes the reach row's lock (on SQLite, the database's) until the commit.
            await db.Set<Reach>().Where(r => r.Id == reachId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Urgency, r => r.Urgency), ct);
            var stored = await db.Set<ReachRecipient>().AsNoTracking().Where(r => r.ReachId == reachId)
                .Select(r => new { Seen = r.SeenAt != null, Answered = r.RespondedAt != null }).ToListAsync(ct);
            firstSeen = mine.SeenAt is not null && !stored.Any(r => r.Seen);
            firstAnswer = mine.RespondedAt is not null && !stored.Any(r => r.Answered);
            if (firstSeen || firstAnswer)
            {
                var sent = await db.Set<Reach>().AsNoTracking().Where(r => r.Id == reachId).Select(r => new { r.CreatedAt, r.Urgency }).FirstAsync(ct);
                reach = (sent.CreatedAt, sent.Urgency);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (firstSeen) meters.ReachFirstSeen(reach.Urgency, mine.SeenAt!.Value - reach.Sent);
        if (firstAnswer) meters.ReachFirstAnswer(reach.Urgency, mine.ResponseKind ?? "", mine.RespondedAt!.Value - reach.Sent);
    }

    /// <summary>For the sender's page: whether anyone not yet asked could still be reached now, if it comes to that.</summary>
    public async Task<bool> AnyoneElseAsync(Guid reachId, CancellationToken ct = default)
    {
        var reach = await db.Set<Reach>().AsNoTracking().Include(r => r.Recipients).FirstOrDefaultAsync(r => r.Id == reachId, ct);
        if (reach is null || reach.ExhaustedAt is not null) return false;
        return await NextAsync(reach, ct) is not null;
    }

    private async Task<CircleMember?> NextAsync(Reach reach, CancellationToken ct)
    {
        var asked = reach.Recipients.Select(r => r.SupporterId).ToHashSet();
        var members = await db.Set<CircleMember>().AsNoTracking().Where(m => m.OwnerId == reach.OwnerId && m.CanReceiveReaches).OrderBy(m => m.Order).ToListAsync(ct);
        foreach (var m in members.Where(m => !asked.Contains(m.SupporterId)))
            if (await AvailableAsync(m, reach.Urgency, ct)) return m;
        return null;
    }

    /// <summary>
    /// The escalation job: if nobody has said "here" or "soon", the next available person in order
    /// who hasn't been asked gets it, and the job comes back after the same wait; with nobody left,
    /// the reach is marked exhausted and the sender is told live (their page then shows their
    /// safety plan's professionals and crisis lines).
    /// </summary>
    public async Task<DateTime?> EscalateAsync(Guid reachId, CancellationToken ct = default)
    {
        var reach = await db.Set<Reach>().Include(r => r.Recipients).FirstOrDefaultAsync(r => r.Id == reachId, ct);
        if (reach is null || reach.ExhaustedAt is not null) return null;
        if (reach.Recipients.Any(r => r.ResponseKind is "here" or "soon")) return null;
        // The last person asked gets the whole wait. This step may already have been taken by a node
        // that stopped before it could mark its job done; the job then only comes back at the right time.
        var waitedFrom = reach.Recipients.Max(r => r.DeliveredAt);
        var now = clock.GetUtcNow().UtcDateTime;
        if (waitedFrom.AddMinutes(reach.EscalateAfterMinutes) > now) return waitedFrom.AddMinutes(reach.EscalateAfterMinutes);
        return await MoveOnAsync(reach, EscalationCause.Timeout, ct);
    }

    /// <summary>The next available person in order who hasn't been asked gets it; with nobody left, it is marked exhausted. Answers when to look again.</summary>
    private async Task<DateTime?> MoveOnAsync(Reach reach, EscalationCause cause, CancellationToken ct)
    {
        var next = await NextAsync(reach, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (next is null)
        {
            reach.ExhaustedAt = now;
            await db.SaveChangesAsync(ct);
            meters.ReachEscalated(cause, nobodyLeft: true);
            hub.Publish(reach.OwnerId, "reach.exhausted", reach.Id);
            return null;
        }
        var wave = reach.Recipients.Max(r => r.Wave) + 1;
        db.Add(new ReachRecipient { Id = Infrastructure.SequentialGuid.Next(), ReachId = reach.Id, SupporterId = next.SupporterId, MemberId = next.Id, Wave = wave, DeliveredAt = now });
        await db.SaveChangesAsync(ct);
        meters.ReachEscalated(cause, nobodyLeft: false);
        Notify(next.SupporterId, reach.Id, reach.Urgency == "now");
        hub.Publish(reach.OwnerId, "reach.escalated", reach.Id);
        return now.AddMinutes(reach.EscalateAfterMinutes);
    }

    /// <summary>The sender's own reaches, newest first: "was someone there?"</summary>
    public async Task<List<ReachDto>> MineAsync(string ownerId, CancellationToken ct = default)
    {
        var ids = await db.Set<Reach>().AsNoTracking().Where(r => r.OwnerId == ownerId).OrderByDescending(r => r.CreatedAt).Select(r => r.Id).Take(200).ToListAsync(ct);
        var list = new List<ReachDto>();
        foreach (var id in ids) list.Add((await GetAsync(ownerId, id, false, ct))!);
        return list;
    }
}
