using Attune.Infrastructure.Web;

namespace Attune.Features.Groups.Room;

/// <summary>
/// What the room needs to know about a piece of text before it is sealed: whether it suggests the
/// writer may not be safe, and (for witness text) whether it reads as advice. The room engine never
/// sees text itself; only these two flags reach it. The safety part of the room replaces
/// <see cref="NoRoomTextCheck"/>, which the room registers so it works on its own.
/// </summary>
public interface IRoomTextCheck
{
    /// <summary>Checks one post, check-in word, check-out word or witness reflection. Stores and logs nothing.</summary>
    TextVerdict Check(string text, bool isWitness);

    /// <summary>
    /// What the poster sees after writing words that suggest crisis: the crisis lines for their
    /// country, their safety plan's first items and whether anyone could receive a reach. Only the
    /// poster's own answer carries it, never a GET.
    /// </summary>
    Task<RoomSafetyDto> SafetyForAsync(string userId, CancellationToken ct);
}

/// <summary>
/// <c>Crisis</c>: the words suggest the writer may not be safe; the facilitator is told they may
/// need a private word (never the words beyond what is in the room). <c>AdviceLike</c>: witness
/// text that reads as advice; the room refuses it unless the writer says <c>sendAnyway</c>.
/// </summary>
public readonly record struct TextVerdict(bool Crisis, bool AdviceLike);

/// <summary>Flags nothing; in place until the room's safety checks are registered over it.</summary>
public sealed class NoRoomTextCheck : IRoomTextCheck
{
    public TextVerdict Check(string text, bool isWitness) => default;

    public Task<RoomSafetyDto> SafetyForAsync(string userId, CancellationToken ct) =>
        throw new InvalidOperationException("No crisis was flagged, so there is no safety answer to give.");
}

/// <summary>
/// The names of the content prompts a facilitator may start a round with (Content/groups/prompts.json,
/// owned by the safety part). The room checks a <c>promptId</c> against it and shows the prompt's text.
/// </summary>
public interface IRoomPrompts
{
    /// <summary>The prompt's words, or null when no prompt has that id.</summary>
    string? TextOf(string promptId);
}

/// <summary>
/// The group's people tell the room when someone is no longer in the group (they left, were
/// removed, or their account went), so every open room drops them at once and hands the talking
/// piece on if they held it. Implemented by the room service.
/// </summary>
public interface IRoomMembership
{
    Task MemberLeftAsync(Guid groupId, string userId, CancellationToken ct);
}

/// <summary>
/// The facilitator's <c>remove</c> in the room is the group's removal (key rotation, the person's
/// words withdrawn, the reason sealed for them, <c>group.removed</c>), implemented by the group's
/// membership service. That removal calls <see cref="IRoomMembership.MemberLeftAsync"/>, which is
/// what takes the person out of every open room. Returns false when there is no such active member.
/// </summary>
public interface IGroupRemovals
{
    Task<bool> RemoveAsync(string facilitatorId, Guid groupId, Guid memberId, string? reason, CancellationToken ct);
}

public enum RoomAnswer { Ok, NotFound, Stale, NotYours, Invalid }

/// <summary>
/// The answer to one room event, which maps one-to-one onto HTTP: 200 with the caller's view of the
/// room (or, when the caller asked for it, the short answer <see cref="Brief"/> and no view), 404 for
/// anyone not in the group, 409 with the current version, 403 with a kind title, or 400 naming the
/// field (<c>AdviceLike</c> when a witness reflection reads as advice).
/// </summary>
public sealed record RoomOutcome(RoomAnswer Answer, RoomStateDto? State = null, long Version = 0, string? Title = null,
    FieldErrors? Errors = null, bool AdviceLike = false, RoomBriefDto? Brief = null)
{
    public static readonly RoomOutcome NotFound = new(RoomAnswer.NotFound);

    public static RoomOutcome Ok(RoomStateDto state) => new(RoomAnswer.Ok, state, state.Version);

    public static RoomOutcome Ok(RoomBriefDto brief) => new(RoomAnswer.Ok, Version: brief.Version, Brief: brief);

    /// <summary>The crisis answer added to whichever answer this is.</summary>
    public RoomOutcome WithSafety(RoomSafetyDto safety) =>
        this with { State = State is null ? null : State with { Safety = safety }, Brief = Brief is null ? null : Brief with { Safety = safety } };

    public static RoomOutcome Stale(long current) => new(RoomAnswer.Stale, Version: current, Title: "The room has moved on");

    public static RoomOutcome NotYours(string title) => new(RoomAnswer.NotYours, Title: title);

    public static RoomOutcome Invalid(string field, string message, bool adviceLike = false) =>
        new(RoomAnswer.Invalid, Errors: new FieldErrors().Add(field, message), AdviceLike: adviceLike);

    public static RoomOutcome Invalid(FieldErrors errors) => new(RoomAnswer.Invalid, Errors: errors);
}

/// <summary>Knows no content prompts; in place until the room's prompts are registered over it, so rounds start with the facilitator's own words or none.</summary>
public sealed class NoRoomPrompts : IRoomPrompts
{
    public string? TextOf(string promptId) => null;
}
