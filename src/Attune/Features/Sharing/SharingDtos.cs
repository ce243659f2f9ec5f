namespace Attune.Features.Sharing;

public sealed record ShareInput(string? ItemType, Guid? ItemId, string? WithUserId);

public sealed record WitnessInput(string? Text);

public sealed record SharedLine(string Kind, string Text);

/// <summary>A shared item as its reader sees it: a title, lines in reading order, and a drawing or photo if it has one.</summary>
public sealed record SharedItemDto(string Type, Guid Id, string Title, IReadOnlyList<SharedLine> Lines, string? Image);

/// <summary>A witness reflection. <c>adviceLike</c> (on the answer to writing one) says it opens like advice, for clients that want to ask about it.</summary>
public sealed record WitnessDto(Guid Id, string Author, bool Mine, string Text, DateTimeOffset At, bool? AdviceLike = null);

public sealed record ShareReadDto(DateTimeOffset At, string By);

/// <summary>
/// A share. <c>role</c>: <c>owner</c> (I shared it) or <c>reader</c> (shared with me).
/// <c>with</c> is the other person's name as I know them. The owner also sees every read.
/// </summary>
public sealed record ShareDto(Guid Id, string Role, string ItemType, Guid ItemId, string Title, string WithUserId, string With, DateTimeOffset SharedAt,
    DateTimeOffset? FirstReadAt, int Witnesses, SharedItemDto? Item, IReadOnlyList<WitnessDto>? Reflections, IReadOnlyList<ShareReadDto>? Reads);
