namespace Attune.Features.Groups.Measures;

/// <summary><c>POST …/measures</c>: one of my PHQ-9 or GAD-7 results, for the point due now.</summary>
public sealed record MeasureLinkInput(Guid? CheckInId);

/// <summary>One result at one point (0 = on joining; k = after 3k meetings attended).</summary>
public sealed record MeasurePointDto(string Instrument, int Point, int Total, int MaxTotal, string? Band, DateTimeOffset TakenAt);

/// <summary>The point due now, the instruments still missing for it, and results from when they count.</summary>
public sealed record MeasuresDueDto(int Point, IReadOnlyList<string> Instruments, DateTimeOffset Since);

/// <summary>
/// The group's change on one instrument: the mean change from point 0 to each contributor's latest
/// point. <c>meanChange</c> is null (and <c>note</c> says why) below <see cref="GroupMeasures.MinContributors"/>.
/// </summary>
public sealed record MeasureAggregateDto(string Instrument, string Title, int MaxTotal, int Contributors, double? MeanChange, string? Note);

/// <summary>A member's own numbers, which reach the facilitator only because the member chose so.</summary>
public sealed record SharedNumbersDto(Guid MemberId, string Name, IReadOnlyList<MeasurePointDto> Points);

/// <summary>
/// <c>GET …/measures</c>. A member sees <c>mine</c> (their own points), <c>due</c> and their choices;
/// the facilitator sees <c>aggregate</c> and the numbers members chose to share.
/// </summary>
public sealed record MeasuresDto(string Role, bool? Consent, bool? ShareOwnNumbers, int? Attended, IReadOnlyList<MeasurePointDto>? Mine, MeasuresDueDto? Due,
    IReadOnlyList<MeasureAggregateDto>? Aggregate, IReadOnlyList<SharedNumbersDto>? Shared);
