using Attune.Data;
using Attune.Features.Groups.Board;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Attendance;

/// <summary>
/// Who plans to come to each meeting, and who came. Saying "I'll come" keeps nobody's place and
/// counts for nothing in the measures: only checking in to the room (which the room writes as
/// <see cref="GroupAttendance.CameAt"/>) counts as having come.
/// </summary>
public sealed class MeetingAttendance(AttuneDb db, Insiders insiders, EventHub hub, TimeProvider clock)
{
    public const string ChangedEvent = "group.changed";

    /// <summary>A member says whether they plan to come. Null: not theirs (404).</summary>
    public async Task<(AttendanceDto? Attendance, FieldErrors? Errors)> SetAsync(string userId, Guid groupId, Guid meetingId, AttendanceInput input, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return (null, null);
        var meeting = await db.Set<GroupMeeting>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == meetingId && m.GroupId == groupId, ct);
        if (meeting is null) return (null, null);
        var errors = new FieldErrors();
        if (inside.IsFacilitator) errors.Add("coming", "You're facilitating this group, so your place is always kept.");
        else if (input.Coming is null) errors.Add("coming", "Please say whether you plan to come: true or false.");
        else if (meeting.CancelledAt is not null) errors.Add("meeting", "This meeting was cancelled.");
        else if (meeting.StartsAt.AddMinutes(meeting.Minutes) <= clock.GetUtcNow().UtcDateTime) errors.Add("meeting", "This meeting has already happened.");
        else if (inside.Closed) errors.Add("meeting", "This group has closed.");
        if (errors.Any) return (null, errors);
        var row = await db.Set<GroupAttendance>().AsTracking().FirstOrDefaultAsync(a => a.MeetingId == meetingId && a.UserId == userId, ct);
        if (row is null) db.Add(row = new GroupAttendance { MeetingId = meetingId, UserId = userId });
        row.Coming = input.Coming;
        await db.SaveChangesAsync(ct);
        hub.Publish(inside.Group.FacilitatorId, ChangedEvent, groupId);
        return (new AttendanceDto(meetingId, row.Coming, row.CameAt is not null), null);
    }

    /// <summary>My own answer and whether I came, for each of the group's meetings (the meetings page and its RSVP buttons).</summary>
    public async Task<Dictionary<Guid, AttendanceDto>> MineAsync(string userId, Guid groupId, CancellationToken ct = default) =>
        await (from a in db.Set<GroupAttendance>().AsNoTracking()
               join m in db.Set<GroupMeeting>().AsNoTracking() on a.MeetingId equals m.Id
               where m.GroupId == groupId && a.UserId == userId
               select new AttendanceDto(a.MeetingId, a.Coming, a.CameAt != null)).ToDictionaryAsync(a => a.MeetingId, ct);

    /// <summary>The facilitator's picture of every meeting. Null for anyone else.</summary>
    public async Task<List<MeetingAttendanceDto>?> OverviewAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { IsFacilitator: true } inside) return null;
        var meetings = await db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == groupId && m.CancelledAt == null).OrderBy(m => m.StartsAt).ToListAsync(ct);
        var ids = meetings.Select(m => m.Id).ToList();
        var rows = (await db.Set<GroupAttendance>().AsNoTracking().Where(a => ids.Contains(a.MeetingId)).ToListAsync(ct)).ToLookup(a => a.MeetingId);
        var now = clock.GetUtcNow().UtcDateTime;
        return meetings.Select(m =>
        {
            var here = rows[m.Id].ToDictionary(a => a.UserId);
            var people = inside.Members.Select(member =>
            {
                var a = here.GetValueOrDefault(member.UserId);
                return new AttendeeDto(member.Id, inside.NameOf(member.UserId), a?.Coming, a?.CameAt is not null);
            }).ToList();
            var came = people.Count(p => p.Came);
            return new MeetingAttendanceDto(m.Id, m.Number, new DateTimeOffset(m.StartsAt), m.StartsAt <= now || came > 0, m.StartsAt.AddMinutes(m.Minutes) <= now,
                people.Count(p => p.Coming == true), came, people);
        }).ToList();
    }
}
