namespace Attune.Features.Groups;

/// <summary>
/// The languages a group can meet in. A group stores the code (ISO 639-1, as the API takes it); people
/// read the name, in English and in the language itself, so someone who doesn't read English still
/// finds their own.
/// </summary>
public static class GroupLanguages
{
    public sealed record Language(string Code, string Name);

    public static readonly IReadOnlyList<Language> All =
    [
        new("ar", "Arabic (العربية)"),
        new("bn", "Bengali (বাংলা)"),
        new("cs", "Czech (čeština)"),
        new("cy", "Welsh (Cymraeg)"),
        new("da", "Danish (dansk)"),
        new("de", "German (Deutsch)"),
        new("el", "Greek (Ελληνικά)"),
        new("en", "English"),
        new("es", "Spanish (español)"),
        new("fa", "Persian (فارسی)"),
        new("fi", "Finnish (suomi)"),
        new("fr", "French (français)"),
        new("ga", "Irish (Gaeilge)"),
        new("he", "Hebrew (עברית)"),
        new("hi", "Hindi (हिन्दी)"),
        new("hu", "Hungarian (magyar)"),
        new("it", "Italian (italiano)"),
        new("ja", "Japanese (日本語)"),
        new("ko", "Korean (한국어)"),
        new("lt", "Lithuanian (lietuvių)"),
        new("nl", "Dutch (Nederlands)"),
        new("no", "Norwegian (norsk)"),
        new("pa", "Punjabi (ਪੰਜਾਬੀ)"),
        new("pl", "Polish (polski)"),
        new("pt", "Portuguese (português)"),
        new("ro", "Romanian (română)"),
        new("ru", "Russian (русский)"),
        new("sv", "Swedish (svenska)"),
        new("tr", "Turkish (Türkçe)"),
        new("uk", "Ukrainian (українська)"),
        new("ur", "Urdu (اردو)"),
        new("vi", "Vietnamese (Tiếng Việt)"),
        new("zh", "Chinese (中文)"),
    ];

    private static readonly Dictionary<string, string> Names = All.ToDictionary(l => l.Code, l => l.Name, StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is not null && Names.ContainsKey(code);

    /// <summary>The name people read; a code from before this list (none are expected) shows as it is.</summary>
    public static string NameOf(string code) => Names.TryGetValue(code, out var name) ? name : code;

    public const string Unknown = "Please choose a language from the list.";
}
