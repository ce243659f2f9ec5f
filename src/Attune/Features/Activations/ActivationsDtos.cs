namespace Attune.Features.Activations;

/// <summary>What the API takes. Only <c>situation</c> and <c>intensity</c> are required.</summary>
public sealed record ActivationInput(
    DateTimeOffset? OccurredAt, string? Situation, string? Reaction, List<string>? Emotions, int? Intensity, int? FeltAge,
    List<string>? BodyRegions, List<string>? Patterns, string? Needed, string? Response, string? Choice);

public sealed record ActivationDto(
    Guid Id, DateTimeOffset OccurredAt, string Situation, string? Reaction, IReadOnlyList<string> Emotions, int Intensity, int? FeltAge,
    IReadOnlyList<string> BodyRegions, IReadOnlyList<string> Patterns, string? Needed, string? Response, string? Choice,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, PracticeSuggestion? Suggestion);

/// <summary>One integration practice offered after logging, chosen from the activation's patterns.</summary>
public sealed record PracticeSuggestion(string Slug, string Title, int Minutes, string Why, string Url);

public sealed record ActivationWords(IReadOnlyList<EmotionFamily> Emotions, IReadOnlyList<string> Needs, IReadOnlyList<object> Patterns, IReadOnlyList<object> BodyRegions);

public sealed record PatternStat(string Code, string Name, int Count, double MeanIntensity);

public sealed record WeekStat(DateOnly WeekStart, int Count, double MeanIntensity);

public sealed record TrendPoint(DateOnly Start, int Count, double MeanIntensity, double RollingMean);

public sealed record AgeStat(int? Age, int Count);

public sealed record HeatCell(int Weekday, int Hour, int Count);

public sealed record CheckInPoint(string Instrument, string Name, DateTimeOffset TakenAt, DateOnly Day, int Total, int MaxTotal, string? Band);

/// <summary>
/// Everything the insights page, the API and the progress report show, for one person and one
/// period. Counts and means are computed by the database; <c>trend</c> buckets are days for
/// periods up to 92 days and weeks (Monday first) beyond, with a rolling mean over the last
/// 7 days or 4 weeks.
/// </summary>
public sealed record ActivationInsights(
    DateOnly From, DateOnly To, string? Range, int Count, double? MeanIntensity, string Bucket,
    IReadOnlyList<TrendPoint> Trend, IReadOnlyList<PatternStat> Patterns, IReadOnlyList<WeekStat> Weeks,
    IReadOnlyList<AgeStat> FeltAges, IReadOnlyList<HeatCell> Heatmap, IReadOnlyList<CheckInPoint> CheckIns, IReadOnlyList<string> Summaries);
