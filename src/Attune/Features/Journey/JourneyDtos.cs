namespace Attune.Features.Journey;

public sealed record SupportDto(bool Offered, string? Reason, IReadOnlyList<string> Choices);

public sealed record SessionDto(Guid Id, string Practice, int Phase, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt,
    int SudsBefore, int? SudsLatest, int? SudsAfter, IReadOnlyDictionary<string, string> Answers, SupportDto Support, string? Choice);

public sealed record StartRequest(int? SudsBefore);

public sealed record SessionUpdate(Dictionary<string, string?>? Answers, int? SudsNow, int? SudsAfter, bool? Completed, string? Choice);

public sealed record PhaseStatus(int Number, string Title, string About, string Status, string? LockedReason, IReadOnlyList<PracticeSummary> Practices);

public sealed record PracticeSummary(string Slug, string Title, int Minutes, string Kind, string Summary, int TimesCompleted);
