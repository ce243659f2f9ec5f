namespace Attune.Features.Assessments;

public sealed record ResponseRequest(List<int>? Answers);

public sealed record CheckInDto(Guid Id, string Instrument, DateTimeOffset TakenAt, int Total, int MaxTotal, string? Band, string? Meaning,
    IReadOnlyDictionary<string, int> Subscales, bool Safety, IReadOnlyList<int>? Answers);
