using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Attune.Infrastructure.Pdf;

/// <summary>
/// The font for PDFs, DejaVu Sans, from the system (Debian: fonts-dejavu-core) or from
/// <c>Attune:PdfFontDirectory</c>. Found once; without one, PDFs are not offered.
/// </summary>
public sealed class PdfFonts(IConfiguration config)
{
    private static readonly string[] Directories =
        ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF", "/Library/Fonts"];

    private readonly Lazy<string?> _family = new(() =>
    {
        foreach (var dir in new[] { config["Attune:PdfFontDirectory"] }.Where(d => !string.IsNullOrEmpty(d)).Concat(Directories))
        {
            var (regular, bold) = (Path.Combine(dir!, "DejaVuSans.ttf"), Path.Combine(dir!, "DejaVuSans-Bold.ttf"));
            if (File.Exists(regular) && File.Exists(bold)) return DejaVuFontResolver.Register(regular, bold);
        }
        return null;
    });

    public bool Available => _family.Value is not null;

    public PdfDocumentWriter NewDocument(string title) =>
        new(_family.Value ?? throw new InvalidOperationException("No font is available for PDFs."), title);
}

/// <summary>
/// PDFsharp's one font resolver for the process (<see cref="GlobalFontSettings.FontResolver"/> may
/// be set only once, before any text is measured). It serves the DejaVu Sans files that
/// <see cref="PdfFonts"/> found, as a family named after their folder, so two hosts in one process
/// (tests, benchmarks) configured with different folders each get their own files. PDFsharp asks
/// for a face's bytes once and caches the parsed font; it embeds only the glyphs a document uses.
/// </summary>
internal sealed class DejaVuFontResolver : IFontResolver
{
    private static readonly DejaVuFontResolver Instance = new();
    private static readonly Lock Gate = new();
    private static bool _installed;
    private readonly ConcurrentDictionary<string, (string Regular, string Bold)> _families = new(StringComparer.Ordinal);

    /// <summary>Makes the two files PDFsharp's family for their folder, and answers the family's name.</summary>
    public static string Register(string regular, string bold)
    {
        lock (Gate)
        {
            if (!_installed)
            {
                GlobalFontSettings.FontResolver = Instance;
                _installed = true;
            }
        }
        var family = "Attune DejaVu Sans " + Path.GetDirectoryName(Path.GetFullPath(regular));
        Instance._families[family] = (Path.GetFullPath(regular), Path.GetFullPath(bold));
        return family;
    }

    /// <summary>
    /// The face for a family and style: its file's path, which <see cref="GetFont"/> reads. Italic is
    /// never asked for by Attune's documents; it would get the upright face, not a slanted one.
    /// </summary>
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        _families.TryGetValue(familyName, out var files) ? new FontResolverInfo(bold ? files.Bold : files.Regular) : null;

    public byte[]? GetFont(string faceName) =>
        _families.Values.Any(f => f.Regular == faceName || f.Bold == faceName) ? File.ReadAllBytes(faceName) : null;
}
