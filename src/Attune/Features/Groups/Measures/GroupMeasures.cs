using Attune.Data;
using Attune.Features.Assessments;
using Attune.Features.Groups.Board;
using Attune.Features.Privacy;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Measures;

/// <summary>
/// PHQ-9 and GAD-7 through a group's cycle, only with the member's consent: on joining (point 0),
/// then after every 3 meetings actually attended (checked in; reserving a place doesn't count). The
/// member links their own results; the scores stay in their sealed check-ins. The facilitator sees
/// the group's mean change only when at least <see cref="MinContributors"/> contribute, and one
/// member's numbers only when that member chose to share them; each such read is in the member's
/// access log.
/// </summary>
public sealed class GroupMeasures(AttuneDb db, Insiders insiders, Instruments instruments, AccessLog accessLog, TimeProvider clock)
{
    public const int MeetingsPerPoint = 3, MinContributors = 3;
    public static readonly IReadOnlyList<string> Codes = ["phq9", "gad7"];

    /// <summary>A result taken up to this long before joining still counts for point 0.</summary>
    public static readonly TimeSpan JoiningWindow = TimeSpan.FromDays(14);

    /// <summary>Meetings this member has come to (checked in), oldest first, with when.</summary>
    private async Task<List<DateTime>> AttendedAsync(Guid groupId, string userId, CancellationToken ct) =>
        await (from a in db.Set<GroupAttendance>().AsNoTracking()
               join m in db.Set<GroupMeeting>().AsNoTracking() on a.MeetingId equals m.Id
               where m.GroupId == groupId && a.UserId == userId && a.CameAt != null
               orderby a.CameAt
               select a.CameAt!.Value).ToListAsync(ct);

    /// <summary>True when this member's attendance has just reached a measure point (3, 6, 9 … meetings).</summary>
    public async Task<bool> JustDueAsync(Guid groupId, GroupMember member, CancellationToken ct)
    {
        var attended = (await AttendedAsync(groupId, member.UserId, ct)).Count;
        return attended > 0 && attended % MeetingsPerPoint == 0;
    }

    /// <summary>What is due now for a consenting member: the newest point reached, and the instruments not yet linked for it.</summary>
    public async Task<MeasuresDueDto?> DueAsync(Guid groupId, GroupMember member, CancellationToken ct = default)
    {
        if (!member.MeasuresConsent) return null;
        var attended = await AttendedAsync(groupId, member.UserId, ct);
        var point = attended.Count / MeetingsPerPoint;
        var since = point == 0 ? member.AgreedAt - JoiningWindow : attended[point * MeetingsPerPoint - 1];
        var linked = await db.Set<GroupMeasure>().AsNoTracking().Where(m => m.GroupId == groupId && m.UserId == member.UserId && m.Point == point)
            .Select(m => m.Instrument).ToListAsync(ct);
        var missing = Codes.Where(c => !linked.Contains(c)).ToList();
        return missing.Count == 0 ? null : new MeasuresDueDto(point, missing, new DateTimeOffset(since));
    }

    /// <summary>What is due now for <paramref name="userId"/> in this group, if they're a consenting member (the group page's banner).</summary>
    public async Task<MeasuresDueDto?> DueForAsync(string userId, Guid groupId, CancellationToken ct = default) =>
        await db.Set<GroupMember>().AsNoTracking().FirstOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId && m.Status == "active" && m.MeasuresConsent, ct) is { } member
            ? await DueAsync(groupId, member, ct) : null;

    public async Task<MeasuresDto?> GetAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return null;
        if (!inside.IsFacilitator)
        {
            var me = inside.Member(userId)!;
            var attended = (await AttendedAsync(groupId, userId, ct)).Count;
            return new MeasuresDto("member", me.MeasuresConsent, me.ShareOwnNumbers, attended, await PointsAsync(groupId, userId, ct), await DueAsync(groupId, me, ct), null, null);
        }

        var consenting = inside.Members.Where(m => m.MeasuresConsent).ToList();
        var points = new Dictionary<string, List<MeasurePointDto>>();
        foreach (var m in consenting) points[m.UserId] = await PointsAsync(groupId, m.UserId, ct);
        var aggregate = new List<MeasureAggregateDto>();
        foreach (var code in Codes)
        {
            var instrument = instruments.Find(code)!;
            var changes = consenting.Select(m => points[m.UserId].Where(p => p.Instrument == code).OrderBy(p => p.Point).ToList())
                .Where(ps => ps.Count >= 2 && ps[0].Point == 0).Select(ps => ps[^1].Total - ps[0].Total).ToList();
            aggregate.Add(changes.Count >= MinContributors
                ? new MeasureAggregateDto(code, instrument.Title, instrument.MaxTotal, changes.Count, Math.Round(changes.Average(), 1), null)
                : new MeasureAggregateDto(code, instrument.Title, instrument.MaxTotal, changes.Count, null, "Not enough results yet to show without singling anyone out."));
        }
        var shared = new List<SharedNumbersDto>();
        foreach (var m in consenting.Where(m => m.ShareOwnNumbers))
        {
            var own = points[m.UserId];
            if (own.Count == 0) continue;
            foreach (var link in await db.Set<GroupMeasure>().AsNoTracking().Where(x => x.GroupId == groupId && x.UserId == m.UserId).Select(x => x.CheckInId).ToListAsync(ct))
                await accessLog.RecordAsync(m.UserId, userId, "read", "checkin", link.ToString(), via: Board.GroupShareChannel.ReaderOf(groupId), ct: ct);
            shared.Add(new SharedNumbersDto(m.Id, inside.NameOf(m.UserId), own));
        }
        return new MeasuresDto("facilitator", null, null, null, null, null, aggregate, shared);
    }

    /// <summary>A consenting member links one of their own results to the point due. Null: not theirs (404).</summary>
    public async Task<(MeasurePointDto? Point, FieldErrors? Errors)> LinkAsync(string userId, Guid groupId, MeasureLinkInput input, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return (null, null);
        var errors = new FieldErrors();
        var member = inside.Member(userId);
        if (member is null) return (null, errors.Add("checkInId", "Check-ins are for the group's members; you facilitate it."));
        if (!member.MeasuresConsent) return (null, errors.Add("checkInId", "You haven't chosen to take part in the group's check-ins. You can turn that on first, if you'd like."));
        if (input.CheckInId is not { } checkInId) return (null, errors.Add("checkInId", "Please choose one of your PHQ-9 or GAD-7 results."));
        var checkIn = await db.Set<CheckIn>().AsNoTracking().OwnedBy(userId).FirstOrDefaultAsync(c => c.Id == checkInId, ct);
        var due = await DueAsync(groupId, member, ct);
        if (checkIn is null || !Codes.Contains(checkIn.Instrument)) errors.Add("checkInId", "There's no PHQ-9 or GAD-7 result of yours with this id.");
        else if (due is null || !due.Instruments.Contains(checkIn.Instrument)) errors.Add("checkInId", "Nothing is due for this check-in right now. Thank you; you're up to date.");
        else if (checkIn.TakenAt < due.Since.UtcDateTime) errors.Add("checkInId", "This result is from before this point fell due. A fresh one would show how things are now.");
        if (errors.Any) return (null, errors);
        var row = new GroupMeasure
        {
            Id = Infrastructure.SequentialGuid.Next(),
            GroupId = groupId,
            UserId = userId,
            CheckInId = checkInId,
            Instrument = checkIn!.Instrument,
            Point = due!.Point,
            LinkedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return ((await PointsAsync(groupId, userId, ct)).First(p => p.Instrument == row.Instrument && p.Point == row.Point), null);
    }

    /// <summary>"Add my latest results to the group's picture": the newest result of each instrument due, taken since the point fell due. Returns how many were added.</summary>
    public async Task<int> AddLatestAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        var member = await db.Set<GroupMember>().AsNoTracking().FirstOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId && m.Status == "active", ct);
        if (member is null || await DueAsync(groupId, member, ct) is not { } due) return 0;
        var since = due.Since.UtcDateTime;
        var added = 0;
        foreach (var code in due.Instruments)
        {
            var newest = await db.Set<CheckIn>().AsNoTracking().OwnedBy(userId).Where(c => c.Instrument == code && c.TakenAt >= since)
                .OrderByDescending(c => c.TakenAt).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
            if (newest is not null && (await LinkAsync(userId, groupId, new MeasureLinkInput(newest), ct)).Point is not null) added++;
        }
        return added;
    }

    /// <summary>A member's linked results, scored from their own sealed check-ins.</summary>
    private async Task<List<MeasurePointDto>> PointsAsync(Guid groupId, string userId, CancellationToken ct)
    {
        var rows = await (from m in db.Set<GroupMeasure>().AsNoTracking()
                          join c in db.Set<CheckIn>().AsNoTracking() on m.CheckInId equals c.Id
                          where m.GroupId == groupId && m.UserId == userId
                          orderby m.Point, m.Instrument
                          select new { m.Point, Row = c }).ToListAsync(ct);
        var list = new List<MeasurePointDto>();
        foreach (var x in rows)
            if (await db.ScoreAsync(instruments, x.Row, ct) is { } score)
                list.Add(new MeasurePointDto(x.Row.Instrument, x.Point, score.Total, instruments.Find(x.Row.Instrument)!.MaxTotal, score.Band, new DateTimeOffset(x.Row.TakenAt)));
        return list;
    }
}
