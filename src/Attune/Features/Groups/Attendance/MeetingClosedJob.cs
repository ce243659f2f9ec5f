using Attune.Data;
using Attune.Features.Groups.Measures;
using Attune.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Attendance;

/// <summary>
/// After a meeting's room closes (<see cref="GroupJobs.Closed"/>, subject = the meeting): the room's
/// words go now if the group keeps nothing past the meeting; those who said they'd come and didn't
/// get a gentle notice that says nothing of the group; members whose attendance just reached a
/// measure point are told their check-ins are due, if they chose to take part.
/// </summary>
public sealed class MeetingClosedJob(AttuneDb db, WriteGate gate, GroupNotices notices, GroupMeasures measures, TimeProvider clock) : IJobHandler
{
    public async Task<DateTime?> RunAsync(Guid subject, CancellationToken ct)
    {
        var meeting = await db.Set<GroupMeeting>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == subject, ct);
        if (meeting is null) return null;
        var group = await db.Set<Group>().AsNoTracking().FirstOrDefaultAsync(g => g.Id == meeting.GroupId, ct);
        if (group is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;

        if (group.Retention == "meeting") await RoomText.DeleteAsync(db, gate, [meeting.Id], ct);

        var active = await db.Set<GroupMember>().AsNoTracking().Where(GroupMember.ActiveIn(group.Id)).ToListAsync(ct);
        var activeIds = active.Select(m => m.UserId).ToList();
        var missed = await db.Set<GroupAttendance>().AsTracking()
            .Where(a => a.MeetingId == meeting.Id && a.Coming == true && a.CameAt == null && a.MissedNoticeAt == null && activeIds.Contains(a.UserId)).ToListAsync(ct);
        foreach (var a in missed) a.MissedNoticeAt = now;
        await db.SaveChangesAsync(ct);
        foreach (var a in missed)
            await notices.SendAsync(a.UserId, "We missed you",
                "A group meeting you planned to come to has taken place. You were missed, and there's nothing you need to explain. You're welcome at the next one.",
                $"/groups/{group.Id}", ct);

        var came = await db.Set<GroupAttendance>().AsNoTracking().Where(a => a.MeetingId == meeting.Id && a.CameAt != null).Select(a => a.UserId).ToListAsync(ct);
        foreach (var member in active.Where(m => m.MeasuresConsent && came.Contains(m.UserId)))
            if (await measures.JustDueAsync(group.Id, member, ct))
                await notices.SendAsync(member.UserId, "Your check-ins are ready when you are",
                    "You've now been to a few group meetings. If you'd like, this is a good time for your check-ins. They're yours, and you choose what the group sees.",
                    $"/groups/{group.Id}/measures", ct);
        return null;
    }
}
