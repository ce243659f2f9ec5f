using System.Collections.Immutable;

namespace Attune.Features.Groups.Room;

/// <summary>What one viewer may know of the room's flags. <c>Moment</c> is only ever their own.</summary>
public sealed record RoomMe(string UserId, bool IsFacilitator, bool CanPost, bool Muted, bool SteppedOut, bool CheckedIn, bool CheckedOut, bool Moment);

/// <summary>The facilitator's own view: who asked for a moment, who may need a private word, who is muted.</summary>
public sealed record RoomFacilitatorView(ImmutableList<string> Moments, ImmutableList<string> Attention, ImmutableList<string> Muted);

/// <summary>
/// The room for one viewer, still in user ids and without text (the store adds names and opened
/// words). The facilitator sees moments, attention, who is muted and the check-in numbers
/// (<see cref="ShowsSuds"/>); a member sees their own flags and nothing of anyone else's but
/// whether they stepped out.
/// </summary>
public sealed record RoomView(
    long Version,
    RoomStatus Status,
    RoomPhase Phase,
    string FacilitatorId,
    string? Holder,
    ImmutableList<string> Order,
    int Round,
    string? PromptId,
    bool CustomPrompt,
    ImmutableList<string> Members,
    ImmutableList<string> Present,
    ImmutableList<string> CheckedOut,
    ImmutableList<string> SteppedOut,
    ImmutableList<PostRef> Posts,
    ImmutableHashSet<Guid> TurnEnded,
    RoomMe Me,
    RoomFacilitatorView? Facilitator,
    bool ShowsSuds,
    string? CloseReason)
{
    public static RoomView For(RoomState s, string viewerId)
    {
        var f = viewerId == s.FacilitatorId;
        var canPost = s.Status == RoomStatus.Open && s.Phase == RoomPhase.Round && s.Holder == viewerId && !s.Muted.Contains(viewerId)
            && s.Posts.Count(p => p.AuthorId == viewerId && p.Round == s.Round && !s.TurnEnded.Contains(p.Id)) < RoomMachine.MaxPostsPerTurn;
        var me = new RoomMe(viewerId, f, canPost, s.Muted.Contains(viewerId), s.SteppedOut.Contains(viewerId), s.Present.Contains(viewerId),
            s.CheckedOut.Contains(viewerId), s.Moments.Contains(viewerId));
        return new RoomView(s.Version, s.Status, s.Phase, s.FacilitatorId, s.Holder, s.Order, s.Round, s.PromptId, s.CustomPrompt, s.Members,
            s.Present, s.CheckedOut, s.SteppedOut, s.Posts, [.. s.TurnEnded], me,
            f ? new RoomFacilitatorView(s.Moments, s.Attention, s.Muted) : null, f, s.CloseReason);
    }
}
