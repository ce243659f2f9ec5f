using System.Security.Cryptography;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>A member as the room needs them: their member id (used in routes and the API), their account and the name the group sees.</summary>
public sealed record RoomMember(Guid Id, string UserId, Sealed? GroupName);

/// <summary>What a room event or a read is about: the group, the meeting and who is in the group now.</summary>
public sealed record RoomScope(Guid GroupId, Guid MeetingId, string FacilitatorId, string FacilitatorName, IReadOnlyList<RoomMember> Members)
{
    public string? UserIdOf(Guid memberId) => Members.FirstOrDefault(m => m.Id == memberId)?.UserId;
}

/// <summary>
/// Reads rooms: the scope (only for the facilitator and active members; anyone else gets null,
/// which the API answers with 404), the saved state brought in line with the group, and the
/// room as one viewer sees it with its words opened under the viewer's own hold of the group's
/// key. Words sealed under an epoch the viewer doesn't hold (written before they joined) are left out.
/// Where the room's words are sealed (table, row, field), for anyone who opens them elsewhere:
/// a post <c>(group_room_posts, post id, "body")</c>; a reflection <c>(group_room_witness, witness id, "text")</c>;
/// a check word <c>(group_room_checks, "{meetingId}:{userId}:{in|out}", "word")</c>; the facilitator's
/// own prompt <c>(group_rooms, meeting id, "prompt")</c>.
/// </summary>
public sealed class RoomStore(AttuneDb db, SharedKeys keys, IRoomPrompts prompts)
{
    public const string BodyField = "body", TextField = "text", WordField = "word", PromptField = "prompt";

    public static string CheckRow(Guid meetingId, string userId, string kind) => $"{meetingId}:{userId}:{kind}";

    /// <summary>The room's scope for <paramref name="userId"/>, or null when they aren't the facilitator or an active member (or there is no such meeting).</summary>
    public async Task<RoomScope?> ScopeAsync(string userId, Guid groupId, Guid meetingId, CancellationToken ct)
    {
        var found = await ScopeQuery(db)(db, userId, groupId, meetingId, ct);
        return found is null ? null
            : new RoomScope(groupId, meetingId, found.FacilitatorId, found.FacilitatorName, [.. found.Members.Select(m => new RoomMember(m.Id, m.UserId, m.GroupName))]);
    }

    private sealed record ScopeRow(string FacilitatorId, string FacilitatorName, List<MemberRow> Members);

    private sealed record MemberRow(Guid Id, string UserId, Sealed? GroupName);

    // One round trip, compiled once (every room event and read starts here): the group if it's the
    // person's (GroupQueries.InsideOf, spelled out because a compiled query can't call it), that the
    // meeting is the group's, and its active members.
    // EF keeps a compiled query's executor from the first context that runs it, so one per database
    // engine: a process that hosts SQLite and PostgreSQL (the tests do) must not read one with the other.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<AttuneDb, string, Guid, Guid, CancellationToken, Task<ScopeRow?>>> ScopeQueries = new();

    private static Func<AttuneDb, string, Guid, Guid, CancellationToken, Task<ScopeRow?>> ScopeQuery(AttuneDb db) => ScopeQueries.GetOrAdd(db.Database.ProviderName ?? "", _ => EF.CompileAsyncQuery(
        (AttuneDb db, string userId, Guid groupId, Guid meetingId, CancellationToken ct) => db.Set<Group>()
            .Where(g => g.Id == groupId
                && (g.FacilitatorId == userId || db.Set<GroupMember>().Any(m => m.GroupId == g.Id && m.UserId == userId && m.Status == "active"))
                && db.Set<GroupMeeting>().Any(m => m.Id == meetingId && m.GroupId == g.Id))
            .Select(g => new ScopeRow(g.FacilitatorId, g.FacilitatorName,
                db.Set<GroupMember>().Where(m => m.GroupId == g.Id && m.Status == "active").OrderBy(m => m.AgreedAt)
                    .Select(m => new MemberRow(m.Id, m.UserId, m.GroupName)).ToList()))
            .FirstOrDefault()));

    /// <summary>The scope for the app's own commands (jobs, membership changes), with no viewer.</summary>
    public async Task<RoomScope?> SystemScopeAsync(Guid meetingId, CancellationToken ct)
    {
        var group = await db.Set<GroupMeeting>().Where(m => m.Id == meetingId)
            .Join(db.Set<Group>(), m => m.GroupId, g => g.Id, (m, g) => new { g.Id, g.FacilitatorId, g.FacilitatorName }).FirstOrDefaultAsync(ct);
        return group is null ? null : await ScopeOfAsync(group.Id, group.FacilitatorId, group.FacilitatorName, meetingId, ct);
    }

    private async Task<RoomScope?> ScopeOfAsync(Guid groupId, string facilitatorId, string facilitatorName, Guid meetingId, CancellationToken ct)
    {
        if (!await db.Set<GroupMeeting>().AnyAsync(m => m.Id == meetingId && m.GroupId == groupId, ct)) return null;
        var members = await db.Set<GroupMember>().Where(GroupMember.ActiveIn(groupId)).OrderBy(m => m.AgreedAt)
            .Select(m => new RoomMember(m.Id, m.UserId, m.GroupName)).ToListAsync(ct);
        return new RoomScope(groupId, meetingId, facilitatorId, facilitatorName, members);
    }

    /// <summary>
    /// The state as saved (a room nobody has acted in yet is Waiting at version 0, and is not written
    /// until its first event), not yet reconciled.
    /// </summary>
    public async Task<(GroupRoom? Row, RoomState Raw)> LoadAsync(RoomScope scope, bool track, CancellationToken ct)
    {
        var query = db.Set<GroupRoom>().Where(r => r.MeetingId == scope.MeetingId);
        var row = await (track ? query : query.AsNoTracking()).FirstOrDefaultAsync(ct);
        var state = row is null
            ? RoomState.Waiting(scope.FacilitatorId, scope.MeetingId, scope.Members.Select(m => m.UserId))
            : RoomState.FromJson(row.State) with { Version = row.Version };
        return (row, state);
    }

    public async Task<RoomState> ReconcileAsync(RoomScope scope, RoomState raw, CancellationToken ct)
    {
        var postIds = await db.Set<GroupRoomPost>().Where(p => p.MeetingId == scope.MeetingId).Select(p => p.Id).ToListAsync(ct);
        return raw.Reconcile([.. scope.Members.Select(m => m.UserId)], postIds);
    }

    /// <summary>How the API names a person: a member by their member id, the facilitator as <c>"facilitator"</c>, anyone no longer in the group as <c>"someone"</c>.</summary>
    public static string RefOf(RoomScope scope, string userId) =>
        userId == scope.FacilitatorId ? "facilitator" : scope.Members.FirstOrDefault(m => m.UserId == userId)?.Id.ToString() ?? "someone";

    /// <summary>The short answer to an accepted event: the room's version and where it stands, from the state alone.</summary>
    public static RoomBriefDto BriefOf(RoomScope scope, RoomState state, Guid? postId) =>
        new(scope.GroupId, scope.MeetingId, state.Version, Camel(state.Status.ToString()), Camel(state.Phase.ToString()),
            state.Holder is null ? null : RefOf(scope, state.Holder), state.Round, postId);

    /// <summary>The room as <paramref name="viewerId"/> sees it now.</summary>
    public async Task<RoomStateDto> GetAsync(string viewerId, RoomScope scope, CancellationToken ct)
    {
        var (row, raw) = await LoadAsync(scope, track: false, ct);
        var state = await ReconcileAsync(scope, raw, ct);
        return await ViewAsync(viewerId, scope, state, row?.Prompt, null, ct);
    }

    /// <param name="key">The viewer's hold of the group's key when the caller has just opened it; else it is opened here.</param>
    public async Task<RoomStateDto> ViewAsync(string viewerId, RoomScope scope, RoomState state, Sealed? customPrompt, SharedKey? key, CancellationToken ct)
    {
        var view = RoomView.For(state, viewerId);
        key ??= await keys.OpenAsync(scope.GroupId, viewerId, ct);
        string? Open(string table, string row, string field, Sealed? value)
        {
            if (key is null || value is null) return null;
            try { return key.Open(table, row, field, value); }
            catch (CryptographicException) { return null; }
        }
        var people = new Dictionary<string, (string MemberId, string Name)> { [scope.FacilitatorId] = ("facilitator", scope.FacilitatorName) };
        foreach (var m in scope.Members)
            people[m.UserId] = (m.Id.ToString(), Open(GroupMember.Table, m.Id.ToString(), "groupName", m.GroupName) ?? "A member");
        string Ref(string userId) => people.TryGetValue(userId, out var p) ? p.MemberId : "someone";
        RoomAuthorDto Author(string userId) => people.TryGetValue(userId, out var p) ? new RoomAuthorDto(p.MemberId, p.Name) : new RoomAuthorDto("someone", "Someone");
        List<string> Refs(IEnumerable<string> users) => [.. users.Select(Ref)];

        var postIds = view.Posts.Select(p => p.Id).ToList();
        var rows = await db.Set<GroupRoomPost>().AsNoTracking().Where(p => postIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var witnesses = await db.Set<GroupRoomWitness>().AsNoTracking().Where(w => postIds.Contains(w.PostId)).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        var posts = new List<RoomPostDto>();
        foreach (var p in view.Posts)
        {
            if (!rows.TryGetValue(p.Id, out var postRow)) continue;
            var mine = witnesses.Where(w => w.PostId == p.Id).ToList();
            int Count(string kind) => mine.Count(w => w.Kind == kind);
            var reflections = mine.Where(w => w.Kind == "text")
                .Select(w => (w, text: Open(GroupRoomWitness.Table, w.Id.ToString(), TextField, w.Text)))
                .Where(x => x.text is not null)
                .Select(x => new RoomReflectionDto(Author(x.w.AuthorId), x.w.AuthorId == viewerId, x.text!)).ToList();
            posts.Add(new RoomPostDto(p.Id, Author(p.AuthorId), p.AuthorId == viewerId, p.Round, Open(GroupRoomPost.Table, p.Id.ToString(), BodyField, postRow.Body),
                new DateTimeOffset(DateTime.SpecifyKind(postRow.CreatedAt, DateTimeKind.Utc)), view.TurnEnded.Contains(p.Id),
                new RoomWitnessCounts(Count("thanks"), Count("hear"), Count("metoo"), Count("heart")),
                [.. mine.Where(w => w.AuthorId == viewerId && w.Kind != "text").Select(w => w.Kind)], reflections));
        }

        var checks = await db.Set<GroupRoomCheck>().AsNoTracking().Where(c => c.MeetingId == scope.MeetingId).OrderBy(c => c.At).ToListAsync(ct);
        List<RoomCheckDto> Checks(string kind) => [.. checks.Where(c => c.Kind == kind && people.ContainsKey(c.UserId)).Select(c => new RoomCheckDto(
            Ref(c.UserId), people[c.UserId].Name, Open(GroupRoomCheck.Table, CheckRow(scope.MeetingId, c.UserId, kind), WordField, c.Word), c.Word is null,
            view.ShowsSuds || c.UserId == viewerId ? c.Suds : null))];

        RoomPromptDto? prompt = view.PromptId is { } pid && prompts.TextOf(pid) is { } words ? new RoomPromptDto(pid, words)
            : view.CustomPrompt && Open(GroupRoom.Table, scope.MeetingId.ToString(), PromptField, customPrompt) is { } own ? new RoomPromptDto(null, own)
            : null;
        var me = view.Me;
        return new RoomStateDto(scope.GroupId, scope.MeetingId, view.Version, Camel(view.Status.ToString()), Camel(view.Phase.ToString()),
            view.Holder is null ? null : Ref(view.Holder), Refs(view.Order), view.Round, prompt,
            [.. people.Select(p => new RoomPersonDto(p.Value.MemberId, p.Value.Name, p.Key == scope.FacilitatorId ? "facilitator" : "member", view.Present.Contains(p.Key)))],
            posts, Checks("in"), Checks("out"), Refs(view.SteppedOut),
            new RoomMeDto(Ref(viewerId), me.IsFacilitator ? "facilitator" : "member", me.CanPost, me.Muted, me.SteppedOut, me.CheckedIn, me.CheckedOut, me.Moment),
            view.Facilitator is { } f ? new RoomFacilitatorDto(Refs(f.Moments), Refs(f.Attention), Refs(f.Muted)) : null,
            view.CloseReason);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
