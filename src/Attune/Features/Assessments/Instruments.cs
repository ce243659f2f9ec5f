using System.Reflection;
using System.Text.Json;
using Attune.Infrastructure.Web;

namespace Attune.Features.Assessments;

public sealed record ScalePoint(int Value, string Label);
public sealed record Item(string Text, string? Pattern = null);
public sealed record Band(int Min, int Max, string Label, string Meaning);
/// <summary>A Signs pattern, with the slugs of the practices that fit it.</summary>
public sealed record Pattern(string Code, string Name, string Explanation, IReadOnlyList<string>? Practices = null);
public sealed record SafetyRule(int Item, int Above);

/// <summary>A check-in instrument, as written in Content/instruments/*.json.</summary>
public sealed record Instrument(
    string Code, string Name, string Title, string About, string Prompt, string Attribution,
    IReadOnlyList<ScalePoint> Scale, IReadOnlyList<Item> Items, IReadOnlyList<Band>? Bands,
    IReadOnlyList<Pattern>? Patterns, IReadOnlyList<Band>? PatternBands, SafetyRule? Safety)
{
    public int MaxTotal => Items.Count * Scale.Max(s => s.Value);
}

/// <summary>What one set of answers means: the published scoring for PHQ-9 and GAD-7, pattern sums for Signs.</summary>
public sealed record Score(int Total, string? Band, string? Meaning, IReadOnlyDictionary<string, int> Subscales, bool Safety);

/// <summary>Loads every instrument once and scores answers with one engine.</summary>
public sealed class Instruments
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, Instrument> _byCode;

    public Instruments() : this(Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "instruments")) { }

    public Instruments(string directory)
    {
        _byCode = Directory.GetFiles(directory, "*.json")
            .Select(f => JsonSerializer.Deserialize<Instrument>(File.ReadAllText(f), Json) ?? throw new InvalidDataException(f))
            .ToDictionary(i => i.Code, StringComparer.Ordinal);
        All = Order.Where(_byCode.ContainsKey).Select(c => _byCode[c])
            .Concat(_byCode.Values.Where(i => !Order.Contains(i.Code))).ToList();
    }

    /// <summary>In the order people meet them (built once: content doesn't change while running).</summary>
    public IReadOnlyList<Instrument> All { get; }

    private static readonly string[] Order = ["signs", "phq9", "gad7"];

    public Instrument? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>Checks every answer before anything is scored or saved.</summary>
    public static FieldErrors Validate(Instrument instrument, IReadOnlyList<int>? answers)
    {
        var errors = new FieldErrors();
        if (answers is null || answers.Count != instrument.Items.Count)
            return errors.Add("answers", $"Please answer all {instrument.Items.Count} questions.");
        var allowed = instrument.Scale.Select(s => s.Value).ToHashSet();
        for (var i = 0; i < answers.Count; i++)
            if (!allowed.Contains(answers[i]))
                errors.Add($"answers[{i}]", $"Please choose one of the answers from {allowed.Min()} to {allowed.Max()}.");
        return errors;
    }

    public static Score Score(Instrument instrument, IReadOnlyList<int> answers)
    {
        var total = answers.Sum();
        var band = instrument.Bands?.FirstOrDefault(b => total >= b.Min && total <= b.Max);
        var subscales = new Dictionary<string, int>(StringComparer.Ordinal);
        if (instrument.Patterns is not null)
        {
            foreach (var p in instrument.Patterns) subscales[p.Code] = 0;
            for (var i = 0; i < answers.Count; i++)
                if (instrument.Items[i].Pattern is { } code) subscales[code] += answers[i];
        }
        var safety = instrument.Safety is { } rule && answers[rule.Item - 1] > rule.Above;
        return new Score(total, band?.Label, band?.Meaning, subscales, safety);
    }

    public static Band? PatternBand(Instrument instrument, int score) =>
        instrument.PatternBands?.FirstOrDefault(b => score >= b.Min && score <= b.Max);
}
