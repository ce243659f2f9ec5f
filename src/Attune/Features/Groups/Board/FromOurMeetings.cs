using Attune.Data;
using Attune.Features.Groups.Room;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Board;

/// <summary>
/// "From our meetings": in a group that keeps room text for 30 days (<c>retention: "days30"</c>), what
/// was shared in its closed rooms, meeting by meeting, for the people inside to read again on the
/// board until it goes (30 days after the meeting ended, when <see cref="Endings.GroupRetentionJob"/>
/// deletes it; this reader stops showing it at the same moment, job or not). A withdrawn share is
/// deleted, so it is never here; words sealed before the reader joined can't be opened and are left out.
/// </summary>
public sealed class FromOurMeetings(AttuneDb db, TimeProvider clock)
{
    /// <summary>When a kept meeting's words go: 30 days after the meeting ended.</summary>
    public static DateTime GoesAt(GroupMeeting m) => m.StartsAt.AddMinutes(m.Minutes) + BoardService.Keep;

    public async Task<IReadOnlyList<BoardMeetingDto>> ListAsync(Inside inside, CancellationToken ct)
    {
        if (inside.Group.Retention != "days30") return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var closed = await db.Set<GroupRoom>().AsNoTracking().Where(r => r.GroupId == inside.Group.Id && r.ClosedAt != null)
            .Join(db.Set<GroupMeeting>(), r => r.MeetingId, m => m.Id, (r, m) => m).ToListAsync(ct);
        var kept = closed.Where(m => GoesAt(m) > now).OrderByDescending(m => m.StartsAt).ToList();
        if (kept.Count == 0) return [];
        var meetingIds = kept.Select(m => m.Id).ToList();
        var posts = await db.Set<GroupRoomPost>().AsNoTracking().Where(p => meetingIds.Contains(p.MeetingId)).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var postIds = posts.Select(p => p.Id).ToList();
        var witnesses = (await db.Set<GroupRoomWitness>().AsNoTracking().Where(w => postIds.Contains(w.PostId)).OrderBy(w => w.CreatedAt).ToListAsync(ct))
            .ToLookup(w => w.PostId);

        var list = new List<BoardMeetingDto>();
        foreach (var m in kept)
        {
            var items = new List<BoardRoomPostDto>();
            foreach (var p in posts.Where(p => p.MeetingId == m.Id))
            {
                if (inside.TryOpen(GroupRoomPost.Table, p.Id, RoomStore.BodyField, p.Body) is not { } body) continue;
                var ws = witnesses[p.Id].ToList();
                int Count(string kind) => ws.Count(w => w.Kind == kind);
                var reflections = new List<BoardReflectionDto>();
                foreach (var w in ws.Where(w => w.Kind == "text" && w.Text is not null))
                    if (inside.TryOpen(GroupRoomWitness.Table, w.Id, RoomStore.TextField, w.Text!) is { } text)
                        reflections.Add(new BoardReflectionDto(w.Id, Author(inside, w.AuthorId), w.AuthorId == inside.Me, text, new DateTimeOffset(Utc(w.CreatedAt))));
                items.Add(new BoardRoomPostDto(p.Id, Author(inside, p.AuthorId), p.AuthorId == inside.Me, p.Round, body, new DateTimeOffset(Utc(p.CreatedAt)),
                    new WitnessCountsDto(Count("thanks"), Count("hear"), Count("metoo"), Count("heart")), reflections));
            }
            if (items.Count > 0) list.Add(new BoardMeetingDto(m.Id, m.Number, new DateTimeOffset(Utc(m.StartsAt)), new DateTimeOffset(Utc(GoesAt(m))), items));
        }
        return list;
    }

    internal static BoardAuthorDto Author(Inside inside, string userId) =>
        new(inside.Member(userId)?.Id, inside.NameOf(userId), userId == inside.Group.FacilitatorId ? "facilitator" : "member");

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);
}
