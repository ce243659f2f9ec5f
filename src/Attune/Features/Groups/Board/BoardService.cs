using Attune.Data;
using Attune.Infrastructure.Live;
using Attune.Features.Privacy;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Board;

/// <summary>What a board request came to; the HTTP answer follows from it (404, 403, 400 or the value).</summary>
public enum BoardAnswer { Ok, NotFound, Forbidden, Invalid }

/// <summary>A board answer: the value, or why not (<c>Why</c>, a kind title for 403; <c>Errors</c> for 400, with <c>AdviceLike</c> when that is the reason).</summary>
public sealed record BoardResult<T>(BoardAnswer Answer, T? Value = default, FieldErrors? Errors = null, string? Why = null, bool AdviceLike = false);

internal static class BoardResults
{
    public static BoardResult<T> Missing<T>() => new(BoardAnswer.NotFound);
    public static BoardResult<T> Refused<T>(string why) => new(BoardAnswer.Forbidden, Why: why);
    public static BoardResult<T> Bad<T>(FieldErrors errors, bool adviceLike = false) => new(BoardAnswer.Invalid, Errors: errors, AdviceLike: adviceLike);
}

/// <summary>
/// The between-meetings board: the people inside a group post, witness each other's posts with the
/// room's replies, and withdraw their own. Everything is sealed under the group's key; a post goes 30
/// days after it was written, and the board turns read-only when the group closes
/// (<see cref="Endings.GroupRetentionJob"/> deletes what is due).
/// </summary>
public sealed class BoardService(AttuneDb db, Insiders insiders, FromOurMeetings meetings, Room.IRoomTextCheck check, EventHub hub, TimeProvider clock)
{
    public const int MaxPost = 2000, MaxReflection = 280, PageSize = 50;
    public const string Event = "group.board";
    public static readonly TimeSpan Keep = TimeSpan.FromDays(30);
    public static readonly TimeSpan AfterClose = TimeSpan.FromDays(14);
    public static IReadOnlyList<string> Kinds => GroupWitness.Kinds;

    public const string BodyField = "body", TextField = "text";

    /// <summary>The gentle question a reflection that opens like advice gets (the same as on a shared item).</summary>
    public const string AdviceQuestion = GroupWitness.AdviceQuestion;

    public async Task<BoardDto?> ListAsync(string userId, Guid groupId, string? cursor, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return null;
        var since = clock.GetUtcNow().UtcDateTime - Keep;
        var query = db.Set<GroupBoardPost>().AsNoTracking().Where(p => p.GroupId == groupId && p.CreatedAt > since);
        if (Cursor.TryParse(cursor, out var before)) query = query.Where(p => p.Id.CompareTo(before) < 0);
        var posts = await query.OrderByDescending(p => p.Id).Take(PageSize + 1).ToListAsync(ct);
        var items = await DtosAsync(inside, posts.Take(PageSize).ToList(), ct);
        return new BoardDto(items, posts.Count > PageSize ? Cursor.Of(posts[PageSize - 1].Id) : null, inside.Group.Title, inside.Closed,
            inside.Group.ClosedAt is { } closed ? new DateTimeOffset(closed + AfterClose) : null, inside.IsFacilitator,
            inside.Group.Retention, string.IsNullOrEmpty(cursor) ? await meetings.ListAsync(inside, ct) : [],
            inside.IsFacilitator ? await AttentionAsync(inside, ct) : null, inside.Group.FacilitatorName);
    }

    public async Task<BoardResult<BoardPostDto>> PostAsync(string userId, Guid groupId, BoardPostInput input, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return BoardResults.Missing<BoardPostDto>();
        if (inside.Closed) return BoardResults.Refused<BoardPostDto>(ClosedWhy);
        var text = input.Text?.Trim();
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(text)) errors.Add("text", "Please write what you'd like to share with the group.");
        errors.MaxLength("text", text, MaxPost).PlainText("text", text, multiline: true);
        if (errors.Any) return BoardResults.Bad<BoardPostDto>(errors);
        var post = new GroupBoardPost { Id = Infrastructure.SequentialGuid.Next(), GroupId = groupId, AuthorId = userId, CreatedAt = clock.GetUtcNow().UtcDateTime };
        post.Body = inside.Key.Seal(GroupBoardPost.Table, post.Id.ToString(), BodyField, text!);
        db.Add(post);
        await db.SaveChangesAsync(ct);
        Tell(inside);
        return new(BoardAnswer.Ok, await SafeAsync(userId, text!, (await DtosAsync(inside, [post], ct))[0], ct));
    }

    public async Task<BoardResult<BoardPostDto>> WitnessAsync(string userId, Guid groupId, Guid postId, BoardWitnessInput input, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return BoardResults.Missing<BoardPostDto>();
        var post = await db.Set<GroupBoardPost>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == postId && p.GroupId == groupId, ct);
        if (post is null || inside.TryOpen(GroupBoardPost.Table, post.Id, BodyField, post.Body) is null) return BoardResults.Missing<BoardPostDto>();
        if (inside.Closed) return BoardResults.Refused<BoardPostDto>(ClosedWhy);
        if (post.AuthorId == userId) return BoardResults.Refused<BoardPostDto>("This is your own post. Others can witness it; you don't need to.");

        var errors = new FieldErrors();
        var text = input.Text?.Trim();
        var kind = input.Kind?.Trim();
        if (string.IsNullOrEmpty(text) == string.IsNullOrEmpty(kind)) errors.Add("kind", "Please choose one reply, or write a short reflection.");
        else if (kind is not null && !GroupWitness.IsFixed(kind)) errors.Add("kind", "Please choose thanks, hear, metoo or heart.");
        errors.MaxLength("text", text, MaxReflection).PlainText("text", text, multiline: true);
        if (errors.Any) return BoardResults.Bad<BoardPostDto>(errors);
        if (!string.IsNullOrEmpty(text) && GroupWitness.MustAsk(GroupWitness.LooksLikeAdvice(text), input.SendAnyway))
            return BoardResults.Bad<BoardPostDto>(new FieldErrors().Add("text", AdviceQuestion), adviceLike: true);

        var now = clock.GetUtcNow().UtcDateTime;
        var kindOrText = string.IsNullOrEmpty(text) ? kind! : GroupWitness.Reflection;
        var existing = await db.Set<GroupBoardWitness>().AsTracking().FirstOrDefaultAsync(w => w.PostId == postId && w.AuthorId == userId && w.Kind == kindOrText, ct);
        switch (GroupWitness.ChangeFor(kindOrText, existing is not null))
        {
            case GroupWitness.Change.Remove:
                db.Remove(existing!);
                break;
            case GroupWitness.Change.Add when kindOrText != GroupWitness.Reflection:
                db.Add(new GroupBoardWitness { Id = Infrastructure.SequentialGuid.Next(), PostId = postId, AuthorId = userId, Kind = kindOrText, CreatedAt = now });
                break;
            default:
                var w = existing ?? new GroupBoardWitness { Id = Infrastructure.SequentialGuid.Next(), PostId = postId, AuthorId = userId, Kind = GroupWitness.Reflection };
                w.CreatedAt = now;
                w.Text = inside.Key.Seal(GroupBoardWitness.Table, w.Id.ToString(), TextField, text!);
                if (existing is null) db.Add(w);
                break;
        }
        await db.SaveChangesAsync(ct);
        Tell(inside);
        var dto = (await DtosAsync(inside, [post], ct))[0];
        return new(BoardAnswer.Ok, string.IsNullOrEmpty(text) ? dto : await SafeAsync(userId, text, dto, ct));
    }

    /// <summary>
    /// Words that suggest crisis answer the writer with their own crisis lines, safety plan and reach;
    /// the facilitator sees that this member may need a private word (<see cref="AttentionAsync"/>),
    /// and the writer's answer says so. Nothing is stored beyond the sealed words themselves.
    /// </summary>
    private async Task<BoardPostDto> SafeAsync(string userId, string text, BoardPostDto dto, CancellationToken ct) =>
        check.Check(text, isWitness: false).Crisis ? dto with { Safety = await check.SafetyForAsync(userId, ct) } : dto;

    /// <summary>For the facilitator's pages: who may need a private word after what they wrote on the board; null for anyone else.</summary>
    public async Task<IReadOnlyList<BoardAuthorDto>?> AttentionForAsync(string userId, Guid groupId, CancellationToken ct = default) =>
        await insiders.OfAsync(userId, groupId, ct) is { IsFacilitator: true } inside ? await AttentionAsync(inside, ct) : null;

    /// <summary>
    /// The members whose posts or reflections on the board, in the last <see cref="Keep"/>, suggest
    /// crisis and whom the facilitator hasn't written a private word to since: worked out from the
    /// sealed words each time the facilitator looks, so no flag about a person is ever stored.
    /// </summary>
    private async Task<IReadOnlyList<BoardAuthorDto>> AttentionAsync(Inside inside, CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime - Keep;
        var members = inside.Members.ToDictionary(m => m.UserId);
        var posts = await db.Set<GroupBoardPost>().AsNoTracking().Where(p => p.GroupId == inside.Group.Id && p.CreatedAt > since)
            .Select(p => new { p.Id, p.AuthorId, p.Body, p.CreatedAt }).ToListAsync(ct);
        var postIds = posts.Select(p => p.Id).ToList();
        var reflections = await db.Set<GroupBoardWitness>().AsNoTracking().Where(w => postIds.Contains(w.PostId) && w.Kind == "text" && w.Text != null)
            .Select(w => new { w.Id, w.AuthorId, w.Text, w.CreatedAt }).ToListAsync(ct);
        var latest = new Dictionary<string, DateTime>();
        void Flag(string author, DateTime at, string? text)
        {
            if (!members.ContainsKey(author) || text is null || !check.Check(text, isWitness: false).Crisis) return;
            if (!latest.TryGetValue(author, out var known) || known < at) latest[author] = at;
        }
        foreach (var p in posts) Flag(p.AuthorId, p.CreatedAt, inside.TryOpen(GroupBoardPost.Table, p.Id, BodyField, p.Body));
        foreach (var w in reflections) Flag(w.AuthorId, w.CreatedAt, inside.TryOpen(GroupBoardWitness.Table, w.Id, TextField, w.Text!));
        if (latest.Count == 0) return [];
        var rows = latest.Keys.Select(u => members[u].Id).ToList();
        var answered = await db.Set<GroupMessage>().AsNoTracking().Where(m => rows.Contains(m.MemberRowId) && m.AuthorId == inside.Group.FacilitatorId)
            .GroupBy(m => m.MemberRowId).Select(g => new { g.Key, Last = g.Max(m => m.CreatedAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        return [.. latest.Where(x => !answered.TryGetValue(members[x.Key].Id, out var last) || last < x.Value)
            .OrderBy(x => x.Value).Select(x => Author(inside, x.Key))];
    }

    /// <summary>The author withdraws their own post (also after the group closed: the words are theirs); the facilitator may remove any. Gone for everyone.</summary>
    public async Task<BoardResult<bool>> DeleteAsync(string userId, Guid groupId, Guid postId, CancellationToken ct = default)
    {
        if (await insiders.OfAsync(userId, groupId, ct) is not { } inside) return BoardResults.Missing<bool>();
        var post = await db.Set<GroupBoardPost>().AsTracking().FirstOrDefaultAsync(p => p.Id == postId && p.GroupId == groupId, ct);
        if (post is null) return BoardResults.Missing<bool>();
        if (post.AuthorId != userId && !inside.IsFacilitator) return BoardResults.Refused<bool>("Only the person who wrote this can take it back.");
        db.Remove(post);
        await db.SaveChangesAsync(ct);
        Tell(inside);
        return new(BoardAnswer.Ok, true);
    }

    private const string ClosedWhy = "This group has closed, so its board is read-only now. What was written stays for a little while, then goes.";

    /// <summary>Everyone inside is told that the board changed, never what.</summary>
    private void Tell(Inside inside)
    {
        foreach (var holder in inside.Holders) hub.Publish(holder, Event, inside.Group.Id);
    }

    private static BoardAuthorDto Author(Inside inside, string userId) => FromOurMeetings.Author(inside, userId);

    /// <summary>Posts with their replies, in two queries; anything sealed under an epoch the viewer doesn't hold (written before they joined) is left out.</summary>
    private async Task<List<BoardPostDto>> DtosAsync(Inside inside, IReadOnlyList<GroupBoardPost> posts, CancellationToken ct)
    {
        var ids = posts.Select(p => p.Id).ToList();
        var witnesses = (await db.Set<GroupBoardWitness>().AsNoTracking().Where(w => ids.Contains(w.PostId)).OrderBy(w => w.CreatedAt).ToListAsync(ct)).ToLookup(w => w.PostId);
        var list = new List<BoardPostDto>();
        foreach (var p in posts)
        {
            if (inside.TryOpen(GroupBoardPost.Table, p.Id, BodyField, p.Body) is not { } body) continue;
            var ws = witnesses[p.Id].ToList();
            int Count(string kind) => ws.Count(w => w.Kind == kind);
            var reflections = new List<BoardReflectionDto>();
            foreach (var w in ws.Where(w => w.Kind == "text" && w.Text is not null))
                if (inside.TryOpen(GroupBoardWitness.Table, w.Id, TextField, w.Text!) is { } text)
                    reflections.Add(new BoardReflectionDto(w.Id, Author(inside, w.AuthorId), w.AuthorId == inside.Me, text, new DateTimeOffset(w.CreatedAt)));
            list.Add(new BoardPostDto(p.Id, Author(inside, p.AuthorId), p.AuthorId == inside.Me, body, new DateTimeOffset(p.CreatedAt), new DateTimeOffset(p.CreatedAt + Keep),
                new WitnessCountsDto(Count("thanks"), Count("hear"), Count("metoo"), Count("heart")),
                ws.Where(w => w.AuthorId == inside.Me && w.Kind != "text").Select(w => w.Kind).ToList(), reflections));
        }
        return list;
    }
}
