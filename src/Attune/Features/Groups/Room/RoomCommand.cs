using System.Collections.Immutable;

namespace Attune.Features.Groups.Room;

/// <summary>Who sends a command: a person's user id, or the app itself (<see cref="System"/>) for jobs and membership changes.</summary>
public static class RoomActor
{
    public const string System = "system";
}

/// <summary>
/// One thing someone does in the room, with the version they last saw. No text ever enters the
/// engine: a post, a check word or a reflection carries only whether its words suggested crisis.
/// </summary>
public abstract record RoomCommand(long ExpectedVersion)
{
    public sealed record Open(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    /// <summary><c>Crisis</c>: the one word suggested crisis (the word itself never enters the engine).</summary>
    public sealed record CheckIn(long ExpectedVersion, int? Suds, bool Passed, bool Crisis = false) : RoomCommand(ExpectedVersion);

    /// <summary><c>Order</c> (user ids) wins over <c>Random</c>; with neither, the check-in order.</summary>
    public sealed record StartRound(long ExpectedVersion, string? PromptId, bool Custom, bool Random, ImmutableList<string>? Order) : RoomCommand(ExpectedVersion);

    public sealed record Post(long ExpectedVersion, Guid PostId, bool Crisis) : RoomCommand(ExpectedVersion);
    public sealed record Pass(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record Done(long ExpectedVersion) : RoomCommand(ExpectedVersion);

    /// <summary><c>Kind</c>: thanks, hear, metoo, heart or text; <c>Crisis</c>: the reflection's words suggested crisis.</summary>
    public sealed record Witness(long ExpectedVersion, Guid PostId, string Kind, bool Crisis = false) : RoomCommand(ExpectedVersion);

    public sealed record Moment(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record StepOut(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record Back(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record Withdraw(long ExpectedVersion, Guid PostId) : RoomCommand(ExpectedVersion);
    public sealed record RemovePost(long ExpectedVersion, Guid PostId) : RoomCommand(ExpectedVersion);
    public sealed record Mute(long ExpectedVersion, string UserId) : RoomCommand(ExpectedVersion);
    public sealed record Unmute(long ExpectedVersion, string UserId) : RoomCommand(ExpectedVersion);
    public sealed record Remove(long ExpectedVersion, string UserId) : RoomCommand(ExpectedVersion);
    public sealed record Take(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record Skip(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record Reorder(long ExpectedVersion, ImmutableList<string> Order) : RoomCommand(ExpectedVersion);
    public sealed record Pause(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record Unpause(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record Seen(long ExpectedVersion, string UserId) : RoomCommand(ExpectedVersion);
    public sealed record StartCheckOut(long ExpectedVersion) : RoomCommand(ExpectedVersion);
    public sealed record CheckOut(long ExpectedVersion, int? Suds, bool Passed, bool Crisis = false) : RoomCommand(ExpectedVersion);
    public sealed record Close(long ExpectedVersion) : RoomCommand(ExpectedVersion);

    /// <summary>System: someone is no longer in the group.</summary>
    public sealed record MemberLeft(long ExpectedVersion, string UserId) : RoomCommand(ExpectedVersion);

    /// <summary>System: the room closes without the facilitator (<c>facilitatorAbsent</c>).</summary>
    public sealed record AutoClose(long ExpectedVersion, string Reason) : RoomCommand(ExpectedVersion);

    public bool IsSystem => this is MemberLeft or AutoClose;
}

/// <summary>What the store does beside saving the new state.</summary>
public abstract record RoomEffect
{
    public sealed record DeletePost(Guid PostId) : RoomEffect;
    public sealed record SetAttention(string UserId) : RoomEffect;
    public sealed record MarkCame(string UserId) : RoomEffect;

    /// <summary>The group's removal (<see cref="IGroupRemovals"/>) takes it from here.</summary>
    public sealed record RemoveMember(string UserId) : RoomEffect;

    public sealed record Closed(string Reason) : RoomEffect;
}

public enum RoomRefusal { NotFound, Stale, NotYours, Invalid }

public abstract record RoomDecision
{
    public sealed record Accepted(RoomState Next, ImmutableList<RoomEffect> Effects) : RoomDecision;

    /// <summary>
    /// <c>Message</c> may hold <c>{name}</c>, which the store fills with the name the group sees for
    /// <c>About</c> (the engine knows no names).
    /// </summary>
    public sealed record Rejected(RoomRefusal Why, string? Field, string Message, string? About = null) : RoomDecision;
}
