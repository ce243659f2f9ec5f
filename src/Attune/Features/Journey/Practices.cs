using System.Reflection;
using Markdig;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Attune.Features.Journey;

public sealed class PracticeStep
{
    public string Id { get; set; } = "";
    public string Text { get; set; } = "";
    public string? Prompt { get; set; }
    public int? Seconds { get; set; }
}

/// <summary>A practice, as written in Content/practices/*.md (YAML front matter, then a short Markdown introduction).</summary>
public sealed class Practice
{
    public string Slug { get; set; } = "";
    public int Phase { get; set; }
    public string Title { get; set; } = "";
    public int Minutes { get; set; }
    public string Kind { get; set; } = "";
    public string Summary { get; set; } = "";
    public string Safety { get; set; } = "";
    public string Together { get; set; } = "";
    public List<PracticeStep> Steps { get; set; } = [];
    [YamlIgnore] public string Introduction { get; set; } = "";
    [YamlIgnore] public string IntroductionHtml { get; set; } = "";
    [YamlIgnore] public bool Paced => Steps.Any(s => s.Seconds is not null);
}

public sealed record PhaseInfo(int Number, string Title, string About);

/// <summary>The program's content, loaded and checked once at startup.</summary>
public sealed class Practices
{
    public static readonly IReadOnlyList<PhaseInfo> Phases =
    [
        new(1, "Safety and patterns", "Build steadiness first: grounding, a safe place, your safety plan, and noticing your patterns."),
        new(2, "Meeting your younger self", "Make gentle contact with the younger you, and find what they needed."),
        new(3, "Grieving and reparenting", "Make room for what was missed, and learn to give yourself the care you needed."),
        new(4, "Living it", "Use what you've learned in daily life: catch old reactions, set limits, ask for what you need."),
    ];

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().DisableHtml().Build();
    private readonly Dictionary<string, Practice> _bySlug;

    public Practices() : this(Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "practices")) { }

    public Practices(string directory)
    {
        var yaml = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        _bySlug = new Dictionary<string, Practice>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.md").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
            if (!text.StartsWith("---\n", StringComparison.Ordinal)) throw new InvalidDataException($"{file}: no front matter");
            var end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
            var practice = yaml.Deserialize<Practice>(text[4..end]);
            practice.Introduction = text[(end + 5)..].Trim();
            practice.IntroductionHtml = Markdig.Markdown.ToHtml(practice.Introduction, Markdown);
            if (!_bySlug.TryAdd(practice.Slug, practice)) throw new InvalidDataException($"{file}: duplicate slug {practice.Slug}");
        }
    }

    public IReadOnlyCollection<Practice> All => _bySlug.Values;

    public Practice? Find(string slug) => _bySlug.GetValueOrDefault(slug);

    public IReadOnlyList<Practice> InPhase(int phase) => _bySlug.Values.Where(p => p.Phase == phase).ToList();
}
