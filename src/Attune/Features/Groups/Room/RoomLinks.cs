using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>A way into a meeting's room from the group's page: whether it is open now, and which meeting.</summary>
public sealed record RoomLink(Guid GroupId, Guid MeetingId, int Number, bool OpenNow, DateTime StartsAt, bool Facilitating)
{
    public string Url => $"/groups/{GroupId}/meetings/{MeetingId}";

    /// <summary>The link's words, the same wherever the way in is offered.</summary>
    public string Action => OpenNow ? "Join the room" : Facilitating ? "Open the room" : "Go to the waiting room";
}

/// <summary>A way into a room for Today, with the group's title (kept in the clear, as on My groups).</summary>
public sealed record TodayRoom(RoomLink Link, string Title);

/// <summary>
/// Finds the room to offer on a group's page, for its facilitator and members only: a room that is
/// open now, or else a meeting that starts within the hour or is under way (its waiting room).
/// </summary>
public sealed class RoomLinks(AttuneDb db, TimeProvider clock)
{
    public static readonly TimeSpan Ahead = TimeSpan.FromHours(1);

    public async Task<RoomLink?> ForAsync(string userId, Guid groupId, CancellationToken ct = default)
    {
        var facilitatorId = await db.InsideOf(userId).Where(g => g.Id == groupId && g.ClosedAt == null).Select(g => g.FacilitatorId).FirstOrDefaultAsync(ct);
        if (facilitatorId is null) return null;
        var facilitating = facilitatorId == userId;
        var open = await db.Set<GroupRoom>().AsNoTracking().Where(r => r.GroupId == groupId && r.OpenedAt != null && r.ClosedAt == null)
            .Join(db.Set<GroupMeeting>(), r => r.MeetingId, m => m.Id, (r, m) => m).OrderBy(m => m.StartsAt).FirstOrDefaultAsync(ct);
        if (open is not null) return new(groupId, open.Id, open.Number, true, open.StartsAt, facilitating);
        var now = clock.GetUtcNow().UtcDateTime;
        var soon = now + Ahead;
        var meetings = await db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == groupId && m.CancelledAt == null && m.StartsAt <= soon)
            .OrderByDescending(m => m.StartsAt).Take(3).ToListAsync(ct);
        var closed = await db.Set<GroupRoom>().AsNoTracking().Where(r => r.GroupId == groupId && r.ClosedAt != null).Select(r => r.MeetingId).ToListAsync(ct);
        var next = meetings.FirstOrDefault(m => m.StartsAt.AddMinutes(m.Minutes) > now && !closed.Contains(m.Id));
        return next is null ? null : new(groupId, next.Id, next.Number, false, next.StartsAt, facilitating);
    }

    /// <summary>No meeting runs longer, so meetings that started before this are over (unless their room is still open).</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(GroupRules.MaxMinutes);

    /// <summary>
    /// For Today, across every open group I facilitate or belong to, in one query: a room open now
    /// (first), else the earliest meeting that starts within the hour or is under way and not closed.
    /// </summary>
    public async Task<TodayRoom?> NearestAsync(string userId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var soon = now + Ahead;
        var since = now - Longest;
        var rows = await (from g in db.InsideOf(userId).AsNoTracking().Where(g => g.ClosedAt == null)
                          join m in db.Set<GroupMeeting>().AsNoTracking() on g.Id equals m.GroupId
                          join r in db.Set<GroupRoom>().AsNoTracking() on m.Id equals r.MeetingId into rooms
                          from r in rooms.DefaultIfEmpty()
                          let open = r != null && r.OpenedAt != null && r.ClosedAt == null
                          where open || (m.CancelledAt == null && m.StartsAt <= soon && m.StartsAt > since && (r == null || r.ClosedAt == null))
                          select new { g.Id, g.Title, g.FacilitatorId, MeetingId = m.Id, m.Number, m.StartsAt, m.Minutes, Open = open }).ToListAsync(ct);
        var chosen = rows.Where(x => x.Open).OrderBy(x => x.StartsAt).FirstOrDefault()
            ?? rows.Where(x => x.StartsAt.AddMinutes(x.Minutes) > now).OrderBy(x => x.StartsAt).FirstOrDefault();
        return chosen is null ? null
            : new(new(chosen.Id, chosen.MeetingId, chosen.Number, chosen.Open, chosen.StartsAt, chosen.FacilitatorId == userId), chosen.Title);
    }
}
