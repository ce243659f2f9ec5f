using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.UniversalAccessibility;

namespace Attune.Infrastructure.Pdf;

/// <summary>
/// Plain, readable A4 documents through PDFsharp (MIT): wrapped text in DejaVu Sans, embedded as a
/// subset of the glyphs used, with Unicode encoding so text can be copied, searched and read aloud
/// in any script; headings and paragraphs tagged (PDFsharp's structure builder) so a screen reader
/// can move from heading to heading; charts marked as artifacts, since their numbers are written
/// out as text beside them; and images placed no larger than they are shown.
/// </summary>
/// <remarks>Coordinates are PDF points from the page's top left, y growing downwards.</remarks>
public sealed class PdfDocumentWriter : IDisposable
{
    private const double PageWidth = 595.28, PageHeight = 841.89, Margin = 56;
    private readonly PdfDocument _document = new();
    private readonly StructureBuilder _structure;
    private readonly string _family;
    private readonly Dictionary<(double Size, bool Bold), XFont> _fonts = [];
    private XGraphics? _graphics;
    private double _y;

    internal PdfDocumentWriter(string family, string title)
    {
        _family = family;
        _document.Version = 17;
        _document.Info.Title = title;
        _document.Info.Creator = "Attune";
        var ua = UAManager.ForDocument(_document);
        ua.SetDocumentLanguage("en");
        _structure = ua.StructureBuilder;
    }

    /// <summary>The full width text may use on a page.</summary>
    public static double TextWidth => PageWidth - 2 * Margin;

    /// <summary>
    /// Image pixels per PDF point (144 dpi): sharp on paper and on screens, and no more. A drawing
    /// shown 483 points wide is embedded at most 966 pixels wide, whatever size it was drawn at.
    /// </summary>
    public const double PixelsPerPoint = 2;

    /// <summary>A heading (level 1 for the document's title), kept on the page with a line of what follows.</summary>
    public void Heading(int level, string text, double size, double after = 0)
    {
        KeepTogether(size * 1.4 * 2);
        Block(level switch { 1 => PdfBlockLevelElementTag.Heading1, 2 => PdfBlockLevelElementTag.Heading2, _ => PdfBlockLevelElementTag.Heading3 },
            text, size, bold: true, indent: 0, after);
    }

    /// <summary>A paragraph, wrapped to the text width less <paramref name="indent"/>; empty text only adds space.</summary>
    public void Text(string text, double size, bool isBold = false, double indent = 0, double after = 0)
    {
        if (text.Length == 0)
        {
            EnsurePage();
            _y += size * 1.4 + after;
            return;
        }
        Block(PdfBlockLevelElementTag.Paragraph, text, size, isBold, indent, after);
    }

    private void Block(PdfBlockLevelElementTag tag, string text, double size, bool bold, double indent, double after)
    {
        EnsurePage();
        var font = Font(size, bold);
        var lineHeight = size * 1.4;
        _structure.BeginElement(tag);
        foreach (var line in Wrap(text, font, TextWidth - indent))
        {
            if (_y + lineHeight > PageHeight - Margin)
            {
                // PDFsharp's structure builder marks content page by page: a block that runs on is
                // closed on this page and continued as a block of the same kind on the next.
                _structure.End();
                NewPage();
                _structure.BeginElement(tag);
            }
            _y += lineHeight;
            _graphics!.DrawString(line, font, XBrushes.Black, Margin + indent, _y);
        }
        _structure.End();
        _y += after;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit, so a heading stays with what follows it.</summary>
    public void KeepTogether(double height)
    {
        EnsurePage();
        if (_y + height > PageHeight - Margin) NewPage();
    }

    /// <summary>
    /// Reserves <paramref name="height"/> points across the text width (on a new page if it doesn't
    /// fit) and lets <paramref name="draw"/> paint into it; it is given the box's left and top. The
    /// drawing is an artifact to assistive technology: every chart's numbers are also given as text.
    /// </summary>
    public void Graphic(double height, Action<Canvas, double, double> draw, double after = 8)
    {
        KeepTogether(height);
        _structure.BeginArtifact();
        var state = _graphics!.Save();
        draw(new Canvas(this), Margin, _y);
        _graphics.Restore(state);
        _structure.End();
        _y += height + after;
    }

    /// <summary>Vector drawing on the current page, in PDF points from the top left.</summary>
    public sealed class Canvas(PdfDocumentWriter pdf)
    {
        private static XColor Colour((double R, double G, double B) c) =>
            XColor.FromArgb((int)Math.Round(c.R * 255), (int)Math.Round(c.G * 255), (int)Math.Round(c.B * 255));

        public void Stroke((double R, double G, double B) colour, double width, IReadOnlyList<(double X, double Y)> points)
        {
            if (points.Count < 2) return;
            pdf._graphics!.DrawLines(new XPen(Colour(colour), width), points.Select(p => new XPoint(p.X, p.Y)).ToArray());
        }

        public void Fill((double R, double G, double B) colour, double x, double y, double w, double h) =>
            pdf._graphics!.DrawRectangle(new XSolidBrush(Colour(colour)), x, y, w, h);

        public void Dot((double R, double G, double B) colour, double x, double y, double r) =>
            pdf._graphics!.DrawEllipse(new XSolidBrush(Colour(colour)), x - r, y - r, 2 * r, 2 * r);

        /// <summary>A short label with its baseline at y; anchor is start, middle or end.</summary>
        public void Text(string text, double x, double y, double size, string anchor = "start")
        {
            var font = pdf.Font(size, false);
            var width = pdf._graphics!.MeasureString(text, font).Width;
            var left = anchor switch { "middle" => x - width / 2, "end" => x - width, _ => x };
            pdf._graphics.DrawString(text, font, Label, left, y);
        }

        private static readonly XBrush Label = new XSolidBrush(XColor.FromArgb(51, 51, 51));
    }

    /// <summary>
    /// Places a PNG or JPEG image as a figure with <paramref name="alt"/> as its text, scaled to fit
    /// the text width and <paramref name="maxHeight"/> points. Answers false (and places nothing)
    /// when the image can't be read. A PNG is decoded now, straight down to the size it is shown at
    /// (<see cref="PixelsPerPoint"/>), laid on the white page and handed to PDFsharp at that size,
    /// so a small file claiming a huge image costs no more than what the page shows. A JPEG is
    /// embedded as it is (the PDF reader decodes it; Attune never does).
    /// </summary>
    public bool Image(byte[] bytes, string contentType, string alt, double maxHeight = 360, double after = 8)
    {
        int width, height;
        if (contentType == "image/png" && Images.PngPixels.Size(bytes) is { } size) (width, height) = size;
        else if (contentType == "image/jpeg" && Images.ImageCheck.Check(bytes, true, int.MaxValue).Image is { } jpeg) (width, height) = (jpeg.Width, jpeg.Height);
        else return false;
        var scale = Math.Min(1, Math.Min(TextWidth / width, maxHeight / height));
        var (w, h) = (width * scale, height * scale);
        byte[] file;
        if (contentType == "image/png")
        {
            if (Images.PngPixels.Decode(bytes, (int)Math.Ceiling(w * PixelsPerPoint), (int)Math.Ceiling(h * PixelsPerPoint)) is not { } pixels) return false;
            file = Bitmap(pixels);
        }
        else file = bytes;
        XImage image;
        try
        {
            image = XImage.FromStream(new MemoryStream(file, writable: false));
        }
        // PDFsharp cannot read every image: for a kind its importers don't decode they throw (each with
        // its own exception type). The export goes on without that one image rather than failing whole.
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            return false;
        }
        using (image)
        {
            KeepTogether(h);
            _structure.BeginElement(PdfIllustrationElementTag.Figure, alt, new XRect(Margin, _y, w, h));
            _graphics!.DrawImage(image, Margin, _y, w, h);
            _structure.End();
        }
        _y += h + after;
        return true;
    }

    /// <summary>The pixels as a 24-bit bottom-up BMP, composited on white, which PDFsharp reads as plain RGB.</summary>
    private static byte[] Bitmap(Images.PngPixels pixels)
    {
        var stride = (pixels.Width * 3 + 3) & ~3;
        var file = new byte[54 + stride * pixels.Height];
        var span = file.AsSpan();
        "BM"u8.CopyTo(span);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span[2..], file.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span[10..], 54);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span[18..], pixels.Width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span[22..], pixels.Height);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(span[34..], stride * pixels.Height);
        for (var y = 0; y < pixels.Height; y++)
        {
            var row = 54 + (pixels.Height - 1 - y) * stride;
            for (var x = 0; x < pixels.Width; x++)
            {
                var i = y * pixels.Width + x;
                var a = pixels.Alpha?[i] ?? 255;
                for (var c = 0; c < 3; c++)
                    file[row + 3 * x + 2 - c] = (byte)((pixels.Rgb[3 * i + c] * a + 255 * (255 - a) + 127) / 255);
            }
        }
        return file;
    }

    public byte[] Save()
    {
        EnsurePage();
        _graphics?.Dispose();
        _graphics = null;
        using var output = new MemoryStream();
        _document.Save(output, closeStream: false);
        return output.ToArray();
    }

    public void Dispose()
    {
        _graphics?.Dispose();
        _graphics = null;
        _document.Dispose();
    }

    private XFont Font(double size, bool bold)
    {
        if (!_fonts.TryGetValue((size, bold), out var font))
            _fonts[(size, bold)] = font = new XFont(_family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
        return font;
    }

    private void EnsurePage()
    {
        if (_graphics is null) NewPage();
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        _graphics = XGraphics.FromPdfPage(page);
        _y = Margin;
    }

    /// <summary>Breaks text at spaces into lines no wider than <paramref name="width"/> (a single word longer than that stands alone).</summary>
    private IEnumerable<string> Wrap(string text, XFont font, double width)
    {
        var space = _graphics!.MeasureString(" ", font).Width;
        var line = new System.Text.StringBuilder();
        double lineWidth = 0;
        foreach (var word in text.Split(' '))
        {
            var wordWidth = word.Length == 0 ? 0 : _graphics.MeasureString(word, font).Width;
            if (line.Length > 0 && lineWidth + space + wordWidth > width)
            {
                // The space stays at the end of the line, so text read out or copied keeps its words apart.
                yield return line.Append(' ').ToString();
                line.Clear();
                lineWidth = 0;
            }
            if (line.Length > 0)
            {
                line.Append(' ');
                lineWidth += space;
            }
            line.Append(word);
            lineWidth += wordWidth;
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
