using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>A way into a meeting's room from the group's page: whether it is open now, and which meeting.</summary>
public sealed record RoomLink(Guid GroupId, Guid MeetingId, int Number, bool OpenNow, DateTime StartsAt)
{
    public string Url => $"/groups/{GroupId}/meetings/{MeetingId}";
}

/// <summary>
/// Finds the room to offer on a group's page, for its facilitator and members only: a room that is
/// open now, or else a meeting that starts within the hour or is under way (its waiting room).
/// </summary>
public sealed class RoomLinks(AttuneDb db, TimeProvider clock)
{
    public static readonly TimeSpan Ahead = TimeSpan.FromHours(1);

    public async Task<RoomLink?> ForAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        if (!await db.InsideOf(userId).AnyAsync(g => g.Id == groupId && g.ClosedAt == null, ct)) return null;
        var open = await db.Set<GroupRoom>().AsNoTracking().Where(r => r.GroupId == groupId && r.OpenedAt != null && r.ClosedAt == null)
            .Join(db.Set<GroupMeeting>(), r => r.MeetingId, m => m.Id, (r, m) => m).OrderBy(m => m.StartsAt).FirstOrDefaultAsync(ct);
        if (open is not null) return new(groupId, open.Id, open.Number, true, open.StartsAt);
        var now = clock.GetUtcNow().UtcDateTime;
        var soon = now + Ahead;
        var meetings = await db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == groupId && m.CancelledAt == null && m.StartsAt <= soon)
            .OrderByDescending(m => m.StartsAt).Take(3).ToListAsync(ct);
        var closed = await db.Set<GroupRoom>().AsNoTracking().Where(r => r.GroupId == groupId && r.ClosedAt != null).Select(r => r.MeetingId).ToListAsync(ct);
        var next = meetings.FirstOrDefault(m => m.StartsAt.AddMinutes(m.Minutes) > now && !closed.Contains(m.Id));
        return next is null ? null : new(groupId, next.Id, next.Number, false, next.StartsAt);
    }
}
