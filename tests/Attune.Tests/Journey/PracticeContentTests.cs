using System.Text.RegularExpressions;
using Attune.Features.Journey;

namespace Attune.Tests.Journey;

/// <summary>The program's content, checked as data: complete, unique, and plain enough to read (grade 8 or below).</summary>
public sealed partial class PracticeContentTests
{
    private static readonly Practices Content = new();

    [Fact]
    public void ThereAreAtLeast24Practices_AndEveryPhaseHas5To8()
    {
        Assert.True(Content.All.Count >= 24, $"{Content.All.Count} practices");
        foreach (var phase in Practices.Phases)
            Assert.InRange(Content.InPhase(phase.Number).Count, 5, 8);
        Assert.All(Content.All, p => Assert.InRange(p.Phase, 1, 4));
    }

    [Fact]
    public void EveryPractice_IsComplete_WithUniqueSlugsAndStepIds()
    {
        Assert.Equal(Content.All.Count, Content.All.Select(p => p.Slug).Distinct().Count());
        foreach (var p in Content.All)
        {
            Assert.Matches("^[a-z0-9-]+$", p.Slug);
            Assert.False(string.IsNullOrWhiteSpace(p.Title), p.Slug);
            Assert.False(string.IsNullOrWhiteSpace(p.Summary), p.Slug);
            Assert.False(string.IsNullOrWhiteSpace(p.Safety), $"{p.Slug}: safety note");
            Assert.False(string.IsNullOrWhiteSpace(p.Together), $"{p.Slug}: could do this with someone");
            Assert.False(string.IsNullOrWhiteSpace(p.Kind), p.Slug);
            Assert.InRange(p.Minutes, 3, 45);
            Assert.InRange(p.Steps.Count, 3, 8);
            Assert.All(p.Steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Text), $"{p.Slug}/{s.Id}: step text"));
            Assert.Equal(p.Steps.Count, p.Steps.Select(s => s.Id).Distinct().Count());
            Assert.Contains(p.Steps, s => s.Prompt is not null);
        }
    }

    [Fact]
    public void TheKindsTheSeedsName_AreAllCovered()
    {
        var kinds = Content.All.Select(p => p.Kind).ToHashSet();
        foreach (var kind in new[] { "grounding", "coping", "visualisation", "noticing", "meeting", "needs", "letter", "dialogue", "grieving", "reparenting", "activation", "boundaries", "reassurance" })
            Assert.Contains(kind, kinds);
    }

    [Fact]
    public void EveryPractice_ReadsAtGrade8OrBelow()
    {
        foreach (var p in Content.All)
        {
            var text = string.Join(" ", new[] { p.Title + ".", p.Summary, p.Introduction, p.Safety, p.Together }
                .Concat(p.Steps.SelectMany(s => new[] { s.Text, s.Prompt is null ? null : s.Prompt.TrimEnd('?', '.') + "." }))
                .Where(t => !string.IsNullOrWhiteSpace(t)));
            var grade = FleschKincaidGrade(text);
            Assert.True(grade <= 8.0, $"{p.Slug} reads at grade {grade:0.0}");
        }
    }

    /// <summary>0.39 (words/sentences) + 11.8 (syllables/words) − 15.59.</summary>
    internal static double FleschKincaidGrade(string text)
    {
        var sentences = Math.Max(1, SentenceEnd().Count(text));
        var words = WordPattern().Matches(text).Select(m => m.Value).ToList();
        var syllables = words.Sum(Syllables);
        return 0.39 * words.Count / sentences + 11.8 * syllables / words.Count - 15.59;
    }

    internal static int Syllables(string word)
    {
        var w = word.ToLowerInvariant().Trim('\'');
        if (w.Length <= 3) return 1;
        if (w.EndsWith("es", StringComparison.Ordinal) || w.EndsWith("ed", StringComparison.Ordinal)) w = w[..^2];
        else if (w.EndsWith('e') && !w.EndsWith("le", StringComparison.Ordinal)) w = w[..^1];
        return Math.Max(1, VowelGroups().Count(w));
    }

    [Fact]
    public void TheReadabilityFormula_CanFail()
    {
        Assert.True(FleschKincaidGrade("The cat sat on the mat. It was warm.") < 3);
        Assert.True(FleschKincaidGrade("Institutionalised intergenerational traumatisation necessitates comprehensive psychotherapeutic conceptualisation.") > 12);
    }

    [GeneratedRegex("[.!?]+(\\s|$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex("[A-Za-z']+")]
    private static partial Regex WordPattern();

    [GeneratedRegex("[aeiouy]+")]
    private static partial Regex VowelGroups();
}
