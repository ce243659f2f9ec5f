using Attune.Data;
using Attune.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>
/// Ten minutes after a meeting starts, closes its room if the facilitator never opened it
/// (<c>facilitatorAbsent</c>): the members hear of it at once on their streams, and the room shows
/// them a kind note instead of a waiting room that never opens.
/// </summary>
internal sealed class RoomNoShowJob(AttuneDb db, RoomService rooms, TimeProvider clock) : IJobHandler
{
    public static readonly TimeSpan After = TimeSpan.FromMinutes(10);

    public async Task<DateTime?> RunAsync(Guid subject, CancellationToken ct)
    {
        var meeting = await db.Set<GroupMeeting>().AsNoTracking().FirstOrDefaultAsync(m => m.Id == subject, ct);
        if (meeting is null || meeting.CancelledAt is not null) return null;
        var due = meeting.StartsAt + After;
        // The meeting moved later since the job was queued: come back then.
        if (clock.GetUtcNow().UtcDateTime < due) return due;
        await rooms.CloseAbsentAsync(subject, ct);
        return null;
    }
}
