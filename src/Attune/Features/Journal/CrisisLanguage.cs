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

    public CrisisLanguage() : this(Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "journal", "crisis-phrases.json")) { }

    public CrisisLanguage(string path)
    {
        var file = JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path), Journal.Json)!;
        _phrases = Build(file.Phrases)!;
        _except = Build(file.Except);
    }

    /// <summary>
    /// Literal phrases joined by alternation, with word-boundary lookarounds: matching is linear in the
    /// text, so no match timeout is needed (a timeout only fired falsely on a busy machine, turning a
    /// save into an error).
    /// </summary>
    private static Regex? Build(IEnumerable<string> phrases)
    {
        var parts = phrases.Select(p => Regex.Escape(TextFold.Fold(p)).Replace("\\ ", "\\s+", StringComparison.Ordinal)).ToList();
        return parts.Count == 0 ? null
            : new Regex($"(?<![\\p{{L}}\\p{{N}}])(?:{string.Join("|", parts)})(?![\\p{{L}}\\p{{N}}])", RegexOptions.CultureInvariant | RegexOptions.Compiled, Regex.InfiniteMatchTimeout);
    }

    public bool Mentions(IEnumerable<string?> texts)
    {
        foreach (var text in texts)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            var normal = TextFold.Fold(text);
            if (!_phrases.IsMatch(normal)) continue;
            // A match inside an everyday saying ("I could kill myself laughing") doesn't count:
            // blank the sayings out and look again.
            if (_except is null || _phrases.IsMatch(_except.Replace(normal, m => new string(' ', m.Length)))) return true;
        }
        return false;
    }
}
