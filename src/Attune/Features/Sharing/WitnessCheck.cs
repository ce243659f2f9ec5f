using System.Text.RegularExpressions;

namespace Attune.Features.Sharing;

/// <summary>Notices that a reflection is starting to give advice: openers like "you should" at the start of a sentence.</summary>
public static partial class WitnessCheck
{
    public static readonly IReadOnlyList<string> AdviceOpeners =
    [
        "you should", "you shouldn't", "you need to", "you have to", "you must", "you ought to", "you could try", "have you tried",
        "why don't you", "why didn't you", "why not", "if i were you", "try to", "just try", "you just need", "what you need is",
        "at least", "don't worry", "look on the bright side", "everything happens for a reason",
    ];

    public static bool LooksLikeAdvice(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        foreach (var sentence in Sentences().Split(text))
        {
            var s = Leading().Replace(sentence.ToLowerInvariant().Replace('’', '\''), "");
            if (AdviceOpeners.Any(o => s.StartsWith(o, StringComparison.Ordinal) && (s.Length == o.Length || !char.IsLetter(s[o.Length])))) return true;
        }
        return false;
    }

    [GeneratedRegex(@"(?<=[.!?\n])\s*")]
    private static partial Regex Sentences();

    /// <summary>Leading quotes, dashes and softeners ("maybe", "honestly") don't change what a sentence does.</summary>
    [GeneratedRegex(@"^[\s""'“‘(\-–—]*((maybe|perhaps|honestly|well|ok|okay|so|and|but|i think|i feel like)[,\s]+)*")]
    private static partial Regex Leading();
}
