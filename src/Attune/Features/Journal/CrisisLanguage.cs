using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Attune.Features.Journal;

/// <summary>
/// Notices words that suggest someone may be thinking of ending their life or hurting themselves
/// (Content/journal/crisis-phrases.json). It only ever changes what the person themselves sees:
/// crisis lines and their safety plan, offered once. Nothing is stored, logged or sent.
/// </summary>
public sealed class CrisisLanguage
{
    private sealed record File(List<string> Phrases, List<string> Except);

    private readonly Regex _phrases;
    private readonly Regex? _except;
    private readonly SearchValues<string> _firstWords;

    public CrisisLanguage() : this(Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "journal", "crisis-phrases.json")) { }

    public CrisisLanguage(string path)
    {
        var file = JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path), Journal.Json)!;
        _phrases = Build(file.Phrases, anchored: true)!;
        _except = Build(file.Except, anchored: false);
        // Every phrase starts with one of these words, so a match can only begin where one of them
        // does. Finding them is a vectorised search; the phrase pattern then runs only there. A
        // word that starts with another first word ("killing", "kill") is already covered by it.
        var firsts = file.Phrases.Select(p => TextFold.Fold(p).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).Distinct().ToList();
        _firstWords = SearchValues.Create(firsts.Where(f => !firsts.Any(g => g != f && f.StartsWith(g, StringComparison.Ordinal))).ToArray(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Literal phrases joined by alternation, with word-boundary lookarounds: matching is linear in the
    /// text, so no match timeout is needed (a timeout only fired falsely on a busy machine, turning a
    /// save into an error). Anchored (\\G), it answers whether a phrase starts exactly where asked.
    /// </summary>
    private static Regex? Build(IEnumerable<string> phrases, bool anchored)
    {
        var parts = phrases.Select(p => Regex.Escape(TextFold.Fold(p)).Replace("\\ ", "\\s+", StringComparison.Ordinal)).ToList();
        return parts.Count == 0 ? null
            : new Regex($"{(anchored ? "\\G" : "")}(?<![\\p{{L}}\\p{{N}}])(?:{string.Join("|", parts)})(?![\\p{{L}}\\p{{N}}])", RegexOptions.CultureInvariant | RegexOptions.Compiled, Regex.InfiniteMatchTimeout);
    }

    private bool HasPhrase(string folded)
    {
        var text = folded.AsSpan();
        for (var from = 0; from < text.Length;)
        {
            var i = text[from..].IndexOfAny(_firstWords);
            if (i < 0) return false;
            if (_phrases.IsMatch(text, from + i)) return true;
            from += i + 1;
        }
        return false;
    }

    public bool Mentions(IEnumerable<string?> texts)
    {
        foreach (var text in texts)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            var normal = TextFold.Fold(text);
            if (!HasPhrase(normal)) continue;
            // A match inside an everyday saying ("I could kill myself laughing") doesn't count:
            // blank the sayings out and look again.
            if (_except is null || HasPhrase(_except.Replace(normal, m => new string(' ', m.Length)))) return true;
        }
        return false;
    }
}
