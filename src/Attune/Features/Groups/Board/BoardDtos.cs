namespace Attune.Features.Groups.Board;

/// <summary><c>POST …/board</c>.</summary>
public sealed record BoardPostInput(string? Text);

/// <summary>
/// <c>POST …/board/{postId}/witness</c>: a fixed reply (<c>kind</c>: thanks, hear, metoo, heart), which
/// toggles, or a short reflection (<c>text</c>). A reflection that opens like advice needs
/// <c>sendAnyway: true</c>.
/// </summary>
public sealed record BoardWitnessInput(string? Kind, string? Text, bool? SendAnyway);

/// <summary>Who wrote something, as the group knows them. <c>memberId</c> is null for the facilitator.</summary>
public sealed record BoardAuthorDto(Guid? MemberId, string Name, string Role);

public sealed record WitnessCountsDto(int Thanks, int Hear, int Metoo, int Heart);

public sealed record BoardReflectionDto(Guid Id, BoardAuthorDto Author, bool Mine, string Text, DateTimeOffset At);

/// <summary>
/// A board post with its witness replies: counts without names, and reflections by the name the group
/// sees. <c>safety</c> only in the writer's own answer to a post or reflection whose words suggest
/// crisis (their crisis lines, safety plan and reach), never in a GET.
/// </summary>
public sealed record BoardPostDto(Guid Id, BoardAuthorDto Author, bool Mine, string Text, DateTimeOffset At, DateTimeOffset GoesAt,
    WitnessCountsDto Witnesses, IReadOnlyList<string> MyWitnesses, IReadOnlyList<BoardReflectionDto> Reflections, Room.RoomSafetyDto? Safety = null);

/// <summary>A share kept from a meeting's room (retention <c>days30</c>), read-only on the board; its author can withdraw it with the room's <c>withdraw</c> event.</summary>
public sealed record BoardRoomPostDto(Guid Id, BoardAuthorDto Author, bool Mine, int Round, string Text, DateTimeOffset At,
    WitnessCountsDto Witnesses, IReadOnlyList<BoardReflectionDto> Reflections);

/// <summary>One closed meeting's kept shares, in the order they were said, and when they go (30 days after the meeting ended).</summary>
public sealed record BoardMeetingDto(Guid MeetingId, int Number, DateTimeOffset StartsAt, DateTimeOffset GoesAt, IReadOnlyList<BoardRoomPostDto> Posts);

/// <summary>
/// <c>GET …/board</c>: <c>{ items, next }</c>, newest first, plus the group's title, <c>readOnly</c> once
/// the group has closed, <c>goneAt</c> (when the whole board goes), whether I facilitate, the group's
/// <c>retention</c> and, on the first page only, <c>fromMeetings</c> (newest meeting first). For the
/// facilitator alone, <c>attention</c>: members whose words on the board suggest they may need a
/// private word (never the words), until the facilitator writes to them; <c>facilitatorName</c>, as the group knows them.
/// </summary>
public sealed record BoardDto(IReadOnlyList<BoardPostDto> Items, string? Next, string Title, bool ReadOnly, DateTimeOffset? GoneAt, bool Facilitator,
    string Retention, IReadOnlyList<BoardMeetingDto> FromMeetings, IReadOnlyList<BoardAuthorDto>? Attention = null, string? FacilitatorName = null);

/// <summary>The facilitator's line about who may need a private word after the board, on the board and on Manage.</summary>
public sealed record BoardAttentionView(Guid GroupId, IReadOnlyList<BoardAuthorDto> People);
