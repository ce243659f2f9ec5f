using System.Globalization;
using System.Text;

namespace Attune.Features.Journal;

/// <summary>Text folded for matching: lower case, accents removed, curly apostrophes made straight. Search and the crisis-word check both match on it.</summary>
public static class TextFold
{
    public static string Fold(string text)
    {
        // Most text is plain ASCII: lower-casing is all it needs.
        if (Ascii.IsValid(text)) return text.ToLowerInvariant();
        var d = text.ToLowerInvariant().Replace('\u2019', '\'').Replace('\u2018', '\'').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(d.Length);
        foreach (var c in d)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        return sb.ToString();
    }
}
