using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure;
using Attune.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// A group's dated meetings: planning them (each with the job that closes a room nobody opened),
/// listing them in the viewer's own zone, and the calendar files.
/// </summary>
public sealed class GroupMeetings(AttuneDb db, AccountEmails links, TimeProvider clock)
{
    /// <summary>How long after the start a room whose facilitator hasn't come closes itself.</summary>
    public static readonly TimeSpan NoShowAfter = TimeSpan.FromMinutes(10);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Adds meetings (UTC starts) to the context, numbered on from <paramref name="firstNumber"/>; the caller saves.</summary>
    public void Plan(Group group, IEnumerable<(DateTime StartsAt, int Minutes)> planned, int firstNumber)
    {
        var number = firstNumber;
        foreach (var (startsAt, minutes) in planned.OrderBy(p => p.StartsAt))
        {
            var meeting = new GroupMeeting { Id = SequentialGuid.Next(), GroupId = group.Id, Number = number++, StartsAt = startsAt, Minutes = minutes };
            db.Add(meeting);
            db.Add(new Job { Id = SequentialGuid.Next(), Kind = GroupJobs.NoShow, Subject = meeting.Id, DueAt = startsAt + NoShowAfter });
        }
    }

    public Task<List<GroupMeeting>> RowsAsync(Guid groupId, CancellationToken ct) =>
        db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == groupId).OrderBy(m => m.StartsAt).ThenBy(m => m.Number).ToListAsync(ct);

    /// <summary>Every meeting of the group in the viewer's zone, with their own sign-up and attendance.</summary>
    public async Task<IReadOnlyList<MeetingDto>> ListAsync(string viewerId, Group group, CancellationToken ct)
    {
        var rows = await RowsAsync(group.Id, ct);
        var ids = rows.Select(m => m.Id).ToList();
        var rooms = await db.Set<GroupRoom>().AsNoTracking().Where(r => r.GroupId == group.Id)
            .Select(r => new { r.MeetingId, r.OpenedAt, r.ClosedAt }).ToListAsync(ct);
        var attendance = await db.Set<GroupAttendance>().AsNoTracking().Where(a => a.UserId == viewerId && ids.Contains(a.MeetingId)).ToListAsync(ct);
        var zoneId = (await db.ProfileAsync(viewerId, ct))?.TimeZoneId ?? group.TimeZone;
        var zone = GroupRules.Zone(zoneId) ?? TimeZoneInfo.Utc;
        var now = Now;
        return [.. rows.Select(m =>
        {
            var room = rooms.FirstOrDefault(r => r.MeetingId == m.Id);
            var mine = attendance.FirstOrDefault(a => a.MeetingId == m.Id);
            var start = DateTime.SpecifyKind(m.StartsAt, DateTimeKind.Utc);
            var offset = zone.GetUtcOffset(start);
            var status = m.CancelledAt is not null ? "cancelled"
                : room?.ClosedAt is not null ? "closed"
                : room?.OpenedAt is not null ? "open"
                : start.AddMinutes(m.Minutes) < now ? "past" : "upcoming";
            return new MeetingDto(m.Id, m.Number, new DateTimeOffset(start).ToOffset(offset), new DateTimeOffset(start.AddMinutes(m.Minutes)).ToOffset(offset),
                GroupRules.LocalLine(start, zoneId), $"/api/v1/groups/{group.Id}/meetings/{m.Id}/calendar", mine?.Coming, mine?.CameAt is not null, status);
        })];
    }

    /// <summary>The cycle's calendar, or one meeting's (null: no such meeting in this group).</summary>
    public async Task<string?> CalendarAsync(Group group, Guid? meetingId, bool withTitle, CancellationToken ct)
    {
        var rows = await RowsAsync(group.Id, ct);
        if (meetingId is { } one) rows = [.. rows.Where(m => m.Id == one)];
        if (rows.Count == 0 && meetingId is not null) return null;
        return GroupCalendar.Write(rows.Select(m => new CalendarMeeting(m.Id, m.Number, m.StartsAt, m.Minutes, m.CancelledAt is not null, m.Sequence)),
            withTitle ? group.Title : null, id => new Uri($"{links.BaseUrl}/groups/{group.Id}/meetings/{id}"), Now);
    }
}
