using Attune.Data;
using Attune.Features.Groups.Attendance;
using Attune.Features.Groups.Board;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Endings;

/// <summary>
/// A group's words go when they are due (<see cref="GroupJobs.Retention"/>, subject = the group; runs
/// daily): board posts 30 days after they were written; room text 30 days after the meeting (or as
/// soon as the room closed, for a group that keeps nothing); and, 14 days after the group closed,
/// every row of it and its key. A group that went with its facilitator's account leaves only key
/// epochs behind, and they go too.
/// </summary>
public sealed class GroupRetentionJob(AttuneDb db, WriteGate gate, SharedKeys keys, TimeProvider clock) : IJobHandler
{
    public static readonly TimeSpan Daily = TimeSpan.FromDays(1);

    public async Task<DateTime?> RunAsync(Guid subject, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var group = await db.Set<Group>().AsNoTracking().FirstOrDefaultAsync(g => g.Id == subject, ct);
        if (group is null)
        {
            await keys.DeleteAsync(subject, ct);
            return null;
        }
        if (group.ClosedAt is { } closed && closed + BoardService.AfterClose <= now)
        {
            // Every table of the group cascades from its row, shares with the group included.
            using (await gate.EnterAsync(ct))
                await db.Set<Group>().Where(g => g.Id == subject).ExecuteDeleteAsync(ct);
            await keys.DeleteAsync(subject, ct);
            return null;
        }

        var boardBefore = now - BoardService.Keep;
        using (await gate.EnterAsync(ct))
            await db.Set<GroupBoardPost>().Where(p => p.GroupId == subject && p.CreatedAt <= boardBefore).ExecuteDeleteAsync(ct);

        var meetings = db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == subject);
        var due = group.Retention == "meeting"
            ? await meetings.Where(m => db.Set<GroupRoom>().Any(r => r.MeetingId == m.Id && r.ClosedAt != null)).Select(m => m.Id).ToListAsync(ct)
            : (await meetings.Select(m => new { m.Id, m.StartsAt, m.Minutes }).ToListAsync(ct))
                .Where(m => m.StartsAt.AddMinutes(m.Minutes) <= now - BoardService.Keep).Select(m => m.Id).ToList();
        await RoomText.DeleteAsync(db, gate, due, ct);

        var next = now + Daily;
        return group.ClosedAt is { } c && c + BoardService.AfterClose < next ? c + BoardService.AfterClose : next;
    }
}
