using System.Security.Cryptography;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// "Download my data" for groups: the groups I facilitate (their offering and meetings), my
/// memberships, my applications with my own answers, and my own words in groups: room and board
/// posts, witness replies (in the room, on the board and on items shared with the group), check-ins
/// and check-outs, attendance, measure links and the private words
/// I wrote, and the prompts I wrote for rooms I facilitated. Nobody else's words, except a decline
/// note or removal reason addressed to me. Each is opened under the (table, row, field) its writer
/// sealed it with (<see cref="Room.RoomStore"/>, <see cref="Board.BoardService"/>).
/// </summary>
internal sealed class GroupsSection(SharedKeys keys, Applications applications) : Privacy.IExportSection
{
    public string Name => "groups";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var facilitating = new List<object>();
        foreach (var g in await db.Set<Group>().AsNoTracking().Where(g => g.FacilitatorId == userId).OrderBy(g => g.CreatedAt).ToListAsync(ct))
        {
            var meetings = await db.Set<GroupMeeting>().AsNoTracking().Where(m => m.GroupId == g.Id).OrderBy(m => m.Number).ToListAsync(ct);
            var meetingIds = meetings.Select(m => m.Id).ToList();
            var prompts = await db.Set<GroupRoom>().AsNoTracking().Where(r => meetingIds.Contains(r.MeetingId) && r.Prompt != null)
                .ToDictionaryAsync(r => r.MeetingId, r => r.Prompt, ct);
            var cache = new Dictionary<Guid, SharedKey?>();
            var ownPrompts = new Dictionary<Guid, string?>();
            foreach (var (meetingId, prompt) in prompts)
                ownPrompts[meetingId] = await OpenAsync(cache, g.Id, userId, GroupRoom.Table, meetingId.ToString(), Room.RoomStore.PromptField, prompt, ct);
            facilitating.Add(new
            {
                g.Id,
                g.Title,
                g.ForWhom,
                g.Description,
                g.Focus,
                g.Part,
                g.Language,
                g.Capacity,
                g.TimeZone,
                g.MeetingMinutes,
                g.Join,
                g.Listed,
                g.Retention,
                g.FacilitatorName,
                Questions = GroupRules.FromJson(g.Questions),
                Agreements = GroupRules.FromJson(g.Agreements),
                CreatedAt = Utc(g.CreatedAt),
                ClosedAt = Utc(g.ClosedAt),
                Meetings = meetings.Select(m => new { m.Id, m.Number, StartsAt = Utc(m.StartsAt), m.Minutes, CancelledAt = Utc(m.CancelledAt), Prompt = ownPrompts.GetValueOrDefault(m.Id) }),
            });
        }

        var memberships = new List<object>();
        foreach (var m in await db.Set<GroupMember>().AsNoTracking().Where(m => m.UserId == userId).OrderBy(m => m.AgreedAt).ToListAsync(ct))
        {
            var g = await db.Set<Group>().AsNoTracking().FirstAsync(x => x.Id == m.GroupId, ct);
            var key = await keys.OpenAsync(g.Id, userId, ct);
            memberships.Add(new
            {
                GroupId = g.Id,
                GroupTitle = g.Title,
                MemberId = m.Id,
                GroupName = m.GroupName is null ? null : Membership.NameOf(key, m),
                m.Status,
                AgreedAt = Utc(m.AgreedAt),
                LeftAt = Utc(m.LeftAt),
                m.MeasuresConsent,
                m.ShareOwnNumbers,
                m.FollowUp,
                RemovalReason = m.RemovalReason is null ? null : await db.OpenAsync(userId, GroupMember.Table, m.Id.ToString(), "reason", m.RemovalReason, ct),
            });
        }

        var applied = new List<ApplicationDto>();
        foreach (var a in await db.Set<GroupApplication>().AsNoTracking().Where(a => a.ApplicantId == userId).OrderBy(a => a.CreatedAt).ToListAsync(ct))
            applied.Add(await applications.DtoAsync(a, userId, ct));

        return new
        {
            facilitating,
            memberships,
            applications = applied,
            roomPosts = await RoomPostsAsync(db, userId, ct),
            roomWitness = await RoomWitnessAsync(db, userId, ct),
            checks = await ChecksAsync(db, userId, ct),
            boardPosts = await BoardPostsAsync(db, userId, ct),
            boardWitness = await BoardWitnessAsync(db, userId, ct),
            shareReflections = await ShareReflectionsAsync(db, userId, ct),
            attendance = (await db.Set<GroupAttendance>().AsNoTracking().Where(a => a.UserId == userId).ToListAsync(ct))
                .Select(a => new { a.MeetingId, a.Coming, CameAt = Utc(a.CameAt) }),
            measures = (await db.Set<GroupMeasure>().AsNoTracking().Where(x => x.UserId == userId).OrderBy(x => x.LinkedAt).ToListAsync(ct))
                .Select(x => new { x.GroupId, x.Instrument, x.Point, x.CheckInId, LinkedAt = Utc(x.LinkedAt) }),
            privateWords = await MessagesAsync(db, userId, ct),
        };
    }

    private static DateTimeOffset? Utc(DateTime? at) => at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    /// <summary>Opens text sealed under a group's key with my copies; words sealed under an epoch I never held are left out.</summary>
    private async Task<string?> OpenAsync(Dictionary<Guid, SharedKey?> cache, Guid groupId, string userId, string table, string rowId, string field, Sealed? value, CancellationToken ct)
    {
        if (value is null) return null;
        if (!cache.TryGetValue(groupId, out var key)) cache[groupId] = key = await keys.OpenAsync(groupId, userId, ct);
        if (key is null) return null;
        try { return key.Open(table, rowId, field, value); }
        catch (CryptographicException) { return null; }
    }

    private async Task<List<object>> RoomPostsAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var cache = new Dictionary<Guid, SharedKey?>();
        var rows = await (from p in db.Set<GroupRoomPost>().AsNoTracking()
                          join m in db.Set<GroupMeeting>().AsNoTracking() on p.MeetingId equals m.Id
                          where p.AuthorId == userId
                          orderby p.CreatedAt
                          select new { p, m.GroupId }).ToListAsync(ct);
        var result = new List<object>();
        foreach (var x in rows)
            result.Add(new { x.GroupId, x.p.MeetingId, x.p.Round, Text = await OpenAsync(cache, x.GroupId, userId, GroupRoomPost.Table, x.p.Id.ToString(), Room.RoomStore.BodyField, x.p.Body, ct), At = Utc(x.p.CreatedAt) });
        return result;
    }

    private async Task<List<object>> RoomWitnessAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var cache = new Dictionary<Guid, SharedKey?>();
        var rows = await (from w in db.Set<GroupRoomWitness>().AsNoTracking()
                          join p in db.Set<GroupRoomPost>().AsNoTracking() on w.PostId equals p.Id
                          join m in db.Set<GroupMeeting>().AsNoTracking() on p.MeetingId equals m.Id
                          where w.AuthorId == userId
                          orderby w.CreatedAt
                          select new { w, m.GroupId }).ToListAsync(ct);
        var result = new List<object>();
        foreach (var x in rows)
            result.Add(new { x.GroupId, x.w.PostId, x.w.Kind, Text = await OpenAsync(cache, x.GroupId, userId, GroupRoomWitness.Table, x.w.Id.ToString(), Room.RoomStore.TextField, x.w.Text, ct), At = Utc(x.w.CreatedAt) });
        return result;
    }

    private async Task<List<object>> ChecksAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var cache = new Dictionary<Guid, SharedKey?>();
        var rows = await (from c in db.Set<GroupRoomCheck>().AsNoTracking()
                          join m in db.Set<GroupMeeting>().AsNoTracking() on c.MeetingId equals m.Id
                          where c.UserId == userId
                          orderby c.At
                          select new { c, m.GroupId }).ToListAsync(ct);
        var result = new List<object>();
        foreach (var x in rows)
            result.Add(new { x.GroupId, x.c.MeetingId, x.c.Kind, x.c.Suds, Word = await OpenAsync(cache, x.GroupId, userId, GroupRoomCheck.Table, Room.RoomStore.CheckRow(x.c.MeetingId, x.c.UserId, x.c.Kind), Room.RoomStore.WordField, x.c.Word, ct), At = Utc(x.c.At) });
        return result;
    }

    private async Task<List<object>> BoardPostsAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var cache = new Dictionary<Guid, SharedKey?>();
        var result = new List<object>();
        foreach (var p in await db.Set<GroupBoardPost>().AsNoTracking().Where(p => p.AuthorId == userId).OrderBy(p => p.CreatedAt).ToListAsync(ct))
            result.Add(new { p.GroupId, Text = await OpenAsync(cache, p.GroupId, userId, GroupBoardPost.Table, p.Id.ToString(), Board.BoardService.BodyField, p.Body, ct), At = Utc(p.CreatedAt) });
        return result;
    }

    private async Task<List<object>> BoardWitnessAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var cache = new Dictionary<Guid, SharedKey?>();
        var rows = await (from w in db.Set<GroupBoardWitness>().AsNoTracking()
                          join p in db.Set<GroupBoardPost>().AsNoTracking() on w.PostId equals p.Id
                          where w.AuthorId == userId
                          orderby w.CreatedAt
                          select new { w, p.GroupId }).ToListAsync(ct);
        var result = new List<object>();
        foreach (var x in rows)
            result.Add(new { x.GroupId, x.w.PostId, x.w.Kind, Text = await OpenAsync(cache, x.GroupId, userId, GroupBoardWitness.Table, x.w.Id.ToString(), Board.BoardService.TextField, x.w.Text, ct), At = Utc(x.w.CreatedAt) });
        return result;
    }

    /// <summary>What I wrote back on items others shared with a group, sealed under the group's key (the item itself is theirs, so it stays out).</summary>
    private async Task<List<object>> ShareReflectionsAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var cache = new Dictionary<Guid, SharedKey?>();
        var rows = await (from w in db.Set<Sharing.WitnessReflection>().AsNoTracking()
                          join s in db.Set<Sharing.Share>().AsNoTracking() on w.ShareId equals s.Id
                          where w.AuthorId == userId && EF.Property<Guid?>(s, GroupShareConfig.Link) != null
                          orderby w.CreatedAt
                          select new { w, GroupId = EF.Property<Guid?>(s, GroupShareConfig.Link) }).ToListAsync(ct);
        var result = new List<object>();
        foreach (var x in rows)
            result.Add(new { GroupId = x.GroupId!.Value, x.w.ShareId, Text = await OpenAsync(cache, x.GroupId!.Value, userId, Sharing.WitnessReflection.Table, x.w.Id.ToString(), "text", x.w.Text, ct), At = Utc(x.w.CreatedAt) });
        return result;
    }

    /// <summary>The private words I wrote, opened with my copy of that conversation's pair key.</summary>
    private async Task<List<object>> MessagesAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var rows = await (from msg in db.Set<GroupMessage>().AsNoTracking()
                          join m in db.Set<GroupMember>().AsNoTracking() on msg.MemberRowId equals m.Id
                          join g in db.Set<Group>().AsNoTracking() on m.GroupId equals g.Id
                          where msg.AuthorId == userId
                          orderby msg.CreatedAt
                          select new { msg, m, g.FacilitatorId }).ToListAsync(ct);
        var result = new List<object>();
        foreach (var x in rows)
        {
            var copy = x.FacilitatorId == userId ? x.m.PairKeyFacilitator : x.m.PairKeyMember;
            if (copy is null) continue;
            var key = await keys.OpenPairAsync(GroupMember.Table, x.m.Id, userId, copy, ct);
            string? text;
            try { text = key.Open(GroupMessage.Table, x.msg.Id.ToString(), "body", x.msg.Body); }
            catch (CryptographicException) { text = null; }
            result.Add(new { x.m.GroupId, MemberId = x.m.Id, Text = text, At = Utc(x.msg.CreatedAt) });
        }
        return result;
    }
}
