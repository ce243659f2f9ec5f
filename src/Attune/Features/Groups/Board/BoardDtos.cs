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

/// <summary>A board post with its witness replies: counts without names, and reflections by the name the group sees.</summary>
public sealed record BoardPostDto(Guid Id, BoardAuthorDto Author, bool Mine, string Text, DateTimeOffset At, DateTimeOffset GoesAt,
    WitnessCountsDto Witnesses, IReadOnlyList<string> MyWitnesses, IReadOnlyList<BoardReflectionDto> Reflections);

/// <summary>
/// <c>GET …/board</c>: <c>{ items, next }</c>, newest first, plus the group's title, <c>readOnly</c> once
/// the group has closed, <c>goneAt</c> (when the whole board goes) and whether I facilitate.
/// </summary>
public sealed record BoardDto(IReadOnlyList<BoardPostDto> Items, string? Next, string Title, bool ReadOnly, DateTimeOffset? GoneAt, bool Facilitator);
