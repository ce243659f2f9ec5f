using Attune.Features.Safety;

namespace Attune.Features.Groups.Room;

/// <summary>
/// One room event from a member or the facilitator. <c>type</c> names the event (API.md § Groups);
/// <c>expectedVersion</c> is the version the sender last saw, so two people acting at once can't
/// overwrite each other. The rest belong to particular types: <c>suds</c>/<c>word</c>/<c>pass</c>
/// (checkIn, checkOut), <c>prompt</c>/<c>promptId</c>/<c>random</c>/<c>order</c> (startRound, reorder),
/// <c>text</c> (post, witness), <c>postId</c>/<c>kind</c>/<c>sendAnyway</c> (witness, withdraw, removePost),
/// <c>memberId</c>/<c>reason</c> (mute, unmute, remove, seen).
/// </summary>
public sealed record RoomEventInput(string? Type, long? ExpectedVersion, int? Suds = null, string? Word = null, bool? Pass = null,
    string? Prompt = null, string? PromptId = null, bool? Random = null, List<Guid>? Order = null, string? Text = null,
    Guid? PostId = null, string? Kind = null, bool? SendAnyway = null, Guid? MemberId = null, string? Reason = null);

/// <summary>
/// The room as one person sees it. People are named by the name the group sees; a member is
/// referred to by their <c>memberId</c>, the facilitator by <c>"facilitator"</c>. <c>holder</c> is
/// who has the talking piece (null between rounds). <c>facilitator</c> is filled only for the
/// facilitator; <c>safety</c> only in the poster's own answer to a post whose words suggest crisis.
/// </summary>
public sealed record RoomStateDto(
    Guid GroupId,
    Guid MeetingId,
    long Version,
    string Status,
    string Phase,
    string? Holder,
    IReadOnlyList<string> Order,
    int Round,
    RoomPromptDto? Prompt,
    IReadOnlyList<RoomPersonDto> People,
    IReadOnlyList<RoomPostDto> Posts,
    IReadOnlyList<RoomCheckDto> CheckIns,
    IReadOnlyList<RoomCheckDto> CheckOuts,
    IReadOnlyList<string> SteppedOut,
    RoomMeDto Me,
    RoomFacilitatorDto? Facilitator,
    string? CloseReason,
    RoomSafetyDto? Safety = null);

/// <summary>
/// The short answer to an accepted event, for a client that takes the room itself from its live
/// refresh (<c>Prefer: return=minimal</c>, and the room page's own forms): the new version, where the
/// room now stands (no names, no words), the new post's id after a <c>post</c>, and <c>safety</c> as in
/// the full answer, only to the poster of words that suggest crisis.
/// </summary>
public sealed record RoomBriefDto(Guid GroupId, Guid MeetingId, long Version, string Status, string Phase, string? Holder, int Round,
    Guid? PostId, RoomSafetyDto? Safety = null)
{
    public static RoomBriefDto Of(RoomStateDto state, Guid? postId) =>
        new(state.GroupId, state.MeetingId, state.Version, state.Status, state.Phase, state.Holder, state.Round, postId, state.Safety);
}

/// <summary>The round's prompt: a content prompt by id, or the facilitator's own words (<c>id</c> null).</summary>
public sealed record RoomPromptDto(string? Id, string Text);

/// <summary>Everyone now in the group, so the order can be shown by name. <c>role</c>: <c>facilitator</c> or <c>member</c>.</summary>
public sealed record RoomPersonDto(string MemberId, string Name, string Role, bool Present);

public sealed record RoomAuthorDto(string MemberId, string Name);

/// <summary>Fixed witness replies, counted without names.</summary>
public sealed record RoomWitnessCounts(int Thanks, int Hear, int Metoo, int Heart);

public sealed record RoomReflectionDto(RoomAuthorDto Author, bool Mine, string Text);

/// <summary>
/// A post. <c>text</c> is null only when it was sealed under a key epoch the viewer doesn't hold
/// (they joined after it was written). <c>myWitnesses</c> are the fixed replies I gave.
/// </summary>
public sealed record RoomPostDto(Guid Id, RoomAuthorDto Author, bool Mine, int Round, string? Text, DateTimeOffset At, bool TurnEnded,
    RoomWitnessCounts Witnesses, IReadOnlyList<string> MyWitnesses, IReadOnlyList<RoomReflectionDto> Reflections);

/// <summary>A check-in or check-out. <c>suds</c> reaches the facilitator only.</summary>
public sealed record RoomCheckDto(string MemberId, string Name, string? Word, bool Pass, int? Suds);

/// <summary>What I can do now. <c>role</c>: <c>facilitator</c> or <c>member</c>.</summary>
public sealed record RoomMeDto(string MemberId, string Role, bool CanPost, bool Muted, bool SteppedOut, bool CheckedIn, bool CheckedOut, bool Moment);

/// <summary>The facilitator's own view: who asked for a moment, who may need a private word, who is muted this round.</summary>
public sealed record RoomFacilitatorDto(IReadOnlyList<string> Moments, IReadOnlyList<string> Attention, IReadOnlyList<string> Muted);

/// <summary>After words that suggest crisis: crisis lines, the first items of my safety plan, and whether a reach could go out.</summary>
public sealed record RoomSafetyDto(bool Crisis, CrisisAnswer Lines, IReadOnlyList<string> SafetyPlan, ReachOffer Reach);
