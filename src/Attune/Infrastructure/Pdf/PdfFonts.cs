namespace Attune.Infrastructure.Pdf;

/// <summary>
/// The font for PDFs, from the system (Debian: fonts-dejavu-core) or from
/// <c>Attune:PdfFontDirectory</c>. Loaded once; without one, PDFs are not offered.
/// </summary>
public sealed class PdfFonts(IConfiguration config)
{
    private static readonly string[] Directories =
        ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF", "/Library/Fonts"];

    private readonly Lazy<(TrueTypeFont Regular, TrueTypeFont Bold)?> _fonts = new(() =>
    {
        foreach (var dir in new[] { config["Attune:PdfFontDirectory"] }.Where(d => !string.IsNullOrEmpty(d)).Concat(Directories))
        {
            var (regular, bold) = (Path.Combine(dir!, "DejaVuSans.ttf"), Path.Combine(dir!, "DejaVuSans-Bold.ttf"));
            if (File.Exists(regular) && File.Exists(bold)) return (TrueTypeFont.Load(regular), TrueTypeFont.Load(bold));
        }
        return null;
    });

    public bool Available => _fonts.Value is not null;

    public PdfDocumentWriter NewDocument(string title)
    {
        var (regular, bold) = _fonts.Value ?? throw new InvalidOperationException("No font is available for PDFs.");
        return new PdfDocumentWriter(regular, bold) { Title = title };
    }
}
