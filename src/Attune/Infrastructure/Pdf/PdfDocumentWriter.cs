using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Attune.Infrastructure.Pdf;

/// <summary>
/// A small PDF 1.7 writer for plain, readable documents: A4 pages of wrapped text in an embedded
/// TrueType font (Type0 / CIDFontType2, Identity-H), with a ToUnicode map so the text can be
/// copied, searched and read aloud. Written for Attune so no AGPL or commercial licence is needed.
/// </summary>
public sealed class PdfDocumentWriter(TrueTypeFont regular, TrueTypeFont bold)
{
    internal TrueTypeFont Regular => regular;
    private const double PageWidth = 595.28, PageHeight = 841.89, Margin = 56;
    private readonly List<StringBuilder> _pages = [];
    private readonly List<List<int>> _pageImages = [];
    private readonly List<Func<Func<byte[], int>, int>> _images = [];
    private readonly HashSet<ushort>[] _used = [[], []];
    private readonly Dictionary<ushort, int>[] _unicode = [[], []];
    private StringBuilder _page = null!;
    private double _y;

    public string Title { get; set; } = "";

    public void Text(string text, double size, bool isBold = false, double indent = 0, double after = 0)
    {
        if (_pages.Count == 0) NewPage();
        var font = isBold ? bold : regular;
        var lineHeight = size * 1.4;
        foreach (var line in Wrap(text, font, size, PageWidth - 2 * Margin - indent))
        {
            if (_y - lineHeight < Margin) NewPage();
            _y -= lineHeight;
            ShowText(line, size, isBold, Margin + indent, _y);
        }
        _y -= after;
    }

    private void ShowText(string line, double size, bool isBold, double x, double y)
    {
        var font = isBold ? bold : regular;
        _page.Append(CultureInfo.InvariantCulture, $"BT /F{(isBold ? 2 : 1)} {size:0.##} Tf {x:0.##} {y:0.##} Td <");
        foreach (var rune in line.EnumerateRunes())
        {
            var glyph = font.Glyph(rune.Value);
            var which = isBold ? 1 : 0;
            _used[which].Add(glyph);
            if (glyph != 0) _unicode[which].TryAdd(glyph, rune.Value);
            _page.Append(glyph.ToString("X4", CultureInfo.InvariantCulture));
        }
        _page.Append("> Tj ET\n");
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit, so a heading stays with what follows it.</summary>
    public void KeepTogether(double height)
    {
        if (_pages.Count == 0 || _y - height < Margin) NewPage();
    }

    /// <summary>The full width text may use on a page.</summary>
    public static double TextWidth => PageWidth - 2 * Margin;

    /// <summary>
    /// Reserves <paramref name="height"/> points across the text width (on a new page if it doesn't
    /// fit) and lets <paramref name="draw"/> paint into it; it is given the box's left and top.
    /// </summary>
    public void Graphic(double height, Action<Canvas, double, double> draw, double after = 8)
    {
        if (_pages.Count == 0) NewPage();
        if (_y - height < Margin) NewPage();
        var top = _y;
        _page.Append("q\n");
        draw(new Canvas(this), Margin, top);
        _page.Append("Q\n");
        _y -= height + after;
    }

    /// <summary>Vector drawing on the current page, in PDF points (y grows upwards).</summary>
    public sealed class Canvas(PdfDocumentWriter pdf)
    {
        public void Stroke((double R, double G, double B) colour, double width, IReadOnlyList<(double X, double Y)> points)
        {
            if (points.Count < 2) return;
            var page = pdf._page;
            page.Append(CultureInfo.InvariantCulture, $"{colour.R:0.###} {colour.G:0.###} {colour.B:0.###} RG {width:0.##} w {points[0].X:0.##} {points[0].Y:0.##} m");
            foreach (var (x, y) in points.Skip(1)) page.Append(CultureInfo.InvariantCulture, $" {x:0.##} {y:0.##} l");
            page.Append(" S\n");
        }

        public void Fill((double R, double G, double B) colour, double x, double y, double w, double h) =>
            pdf._page.Append(CultureInfo.InvariantCulture, $"{colour.R:0.###} {colour.G:0.###} {colour.B:0.###} rg {x:0.##} {y:0.##} {w:0.##} {h:0.##} re f\n");

        /// <summary>A short label with its baseline at y; anchor is start, middle or end.</summary>
        public void Text(string text, double x, double y, double size, string anchor = "start")
        {
            var width = pdf.Regular.Measure(text, size);
            var left = anchor switch { "middle" => x - width / 2, "end" => x - width, _ => x };
            pdf._page.Append("0.2 0.2 0.2 rg\n");
            pdf.ShowText(text, size, false, left, y);
        }
    }

    /// <summary>
    /// Image pixels per PDF point (144 dpi): sharp on paper and on screens, and no more. A drawing
    /// shown 483 points wide is embedded at most 966 pixels wide, whatever size it was drawn at.
    /// </summary>
    public const double PixelsPerPoint = 2;

    /// <summary>
    /// Places a PNG or JPEG image, scaled to fit the text width and <paramref name="maxHeight"/>
    /// points. Answers false (and places nothing) when the image can't be read. A PNG is decoded
    /// now, straight down to the size it is shown at, and kept compressed; the caller's bytes are
    /// not kept. A JPEG is embedded as it is (the PDF reader decodes it; Attune never does).
    /// </summary>
    public bool Image(byte[] bytes, string contentType, double maxHeight = 360, double after = 8)
    {
        int width, height;
        if (contentType == "image/png" && Images.PngPixels.Size(bytes) is { } size) (width, height) = size;
        else if (contentType == "image/jpeg" && Images.ImageCheck.Check(bytes, true, int.MaxValue).Image is { } jpeg) (width, height) = (jpeg.Width, jpeg.Height);
        else return false;
        var scale = Math.Min(1, Math.Min((PageWidth - 2 * Margin) / width, maxHeight / height));
        var (w, h) = (width * scale, height * scale);
        Func<Func<byte[], int>, int> embed;
        if (contentType == "image/png")
        {
            if (Images.PngPixels.Decode(bytes, (int)Math.Ceiling(w * PixelsPerPoint), (int)Math.Ceiling(h * PixelsPerPoint)) is not { } pixels) return false;
            var rgb = Deflate(pixels.Rgb);
            var alpha = pixels.Alpha is null ? null : Deflate(pixels.Alpha);
            embed = add =>
            {
                var mask = alpha is null ? "" : $"/SMask {AddDeflated(alpha, add, $"/Type /XObject /Subtype /Image /Width {pixels.Width} /Height {pixels.Height} /ColorSpace /DeviceGray /BitsPerComponent 8")} 0 R";
                return AddDeflated(rgb, add, $"/Type /XObject /Subtype /Image /Width {pixels.Width} /Height {pixels.Height} /ColorSpace /DeviceRGB /BitsPerComponent 8 {mask}");
            };
        }
        else
        {
            var space = Images.ImageCheck.JpegComponents(bytes) switch { 1 => "/DeviceGray", 4 => "/DeviceCMYK", _ => "/DeviceRGB" };
            embed = add =>
            {
                var head = Encoding.ASCII.GetBytes($"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {space} " +
                    $"/BitsPerComponent 8 /Filter /DCTDecode /Length {bytes.Length} >>\nstream\n");
                return add([.. head, .. bytes, .. "\nendstream"u8.ToArray()]);
            };
        }
        if (_pages.Count == 0) NewPage();
        if (_y - h < Margin) NewPage();
        _y -= h;
        _images.Add(embed);
        _pageImages[^1].Add(_images.Count);
        _page.Append(CultureInfo.InvariantCulture, $"q {w:0.##} 0 0 {h:0.##} {Margin:0.##} {_y:0.##} cm /Im{_images.Count} Do Q\n");
        _y -= after;
        return true;
    }

    public byte[] Save()
    {
        if (_pages.Count == 0) NewPage();
        var objects = new List<byte[]>();
        int Add(byte[] body) { objects.Add(body); return objects.Count; }
        int AddText(string body) => Add(Encoding.ASCII.GetBytes(body));
        int Reserve() { objects.Add([]); return objects.Count; }

        var catalog = Reserve();
        var pages = Reserve();
        var info = AddText($"<< /Title {Utf16(Title)} /Producer (Attune) >>");
        var fonts = new[] { (regular, 0), (bold, 1) }.Select(f => EmbedFont(f.Item1, f.Item2, AddText, Add)).ToArray();
        var images = _images.Select(embed => embed(Add)).ToArray();
        var kids = new List<int>();
        for (var p = 0; p < _pages.Count; p++)
        {
            var stream = AddStream(Encoding.ASCII.GetBytes(_pages[p].ToString()), Add);
            var xobjects = _pageImages[p].Count == 0 ? "" : $"/XObject << {string.Join(" ", _pageImages[p].Select(n => $"/Im{n} {images[n - 1]} 0 R"))} >> ";
            kids.Add(AddText($"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {PageWidth:0.##} {PageHeight:0.##}] " +
                $"/Resources << /Font << /F1 {fonts[0]} 0 R /F2 {fonts[1]} 0 R >> {xobjects}>> /Contents {stream} 0 R >>"));
        }
        objects[catalog - 1] = Encoding.ASCII.GetBytes($"<< /Type /Catalog /Pages {pages} 0 R /Lang (en) >>");
        objects[pages - 1] = Encoding.ASCII.GetBytes($"<< /Type /Pages /Kids [{string.Join(" ", kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>");

        using var output = new MemoryStream();
        void Write(string s) { var b = Encoding.ASCII.GetBytes(s); output.Write(b); }
        Write("%PDF-1.7\n");
        var offsets = new long[objects.Count];
        for (var i = 0; i < objects.Count; i++)
        {
            offsets[i] = output.Position;
            Write($"{i + 1} 0 obj\n");
            output.Write(objects[i]);
            Write("\nendobj\n");
        }
        var xref = output.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) Write($"{o:D10} 00000 n \n");
        Write($"trailer\n<< /Size {objects.Count + 1} /Root {catalog} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }

    private int EmbedFont(TrueTypeFont font, int which, Func<string, int> addText, Func<byte[], int> add)
    {
        var file = AddStream(font.Data, add, $"/Length1 {font.Data.Length}");
        var name = which == 0 ? "AttuneSans" : "AttuneSans-Bold";
        var descriptor = addText($"<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [-1000 -400 2000 1200] /ItalicAngle 0 " +
            $"/Ascent 900 /Descent -240 /CapHeight 700 /StemV {(which == 0 ? 80 : 140)} /FontFile2 {file} 0 R >>");
        var widths = new StringBuilder("[");
        foreach (var g in _used[which].Order()) widths.Append(CultureInfo.InvariantCulture, $"{g} [{font.Width1000(g)}] ");
        widths.Append(']');
        var cid = addText($"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> " +
            $"/FontDescriptor {descriptor} 0 R /DW 1000 /W {widths} /CIDToGIDMap /Identity >>");
        var toUnicode = AddStream(Encoding.ASCII.GetBytes(ToUnicodeCMap(_unicode[which])), add);
        return addText($"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] /ToUnicode {toUnicode} 0 R >>");
    }

    private static int AddStream(byte[] data, Func<byte[], int> add, string extra = "") => AddDeflated(Deflate(data), add, extra);

    private static byte[] Deflate(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return compressed.ToArray();
    }

    private static int AddDeflated(byte[] deflated, Func<byte[], int> add, string extra)
    {
        var head = Encoding.ASCII.GetBytes($"<< /Length {deflated.Length} /Filter /FlateDecode {extra} >>\nstream\n");
        var tail = Encoding.ASCII.GetBytes("\nendstream");
        return add([.. head, .. deflated, .. tail]);
    }

    private static string ToUnicodeCMap(Dictionary<ushort, int> map)
    {
        var sb = new StringBuilder("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
        foreach (var chunk in map.OrderBy(kv => kv.Key).Chunk(100))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{chunk.Length} beginbfchar\n");
            foreach (var (glyph, unicode) in chunk)
            {
                var utf16 = Encoding.BigEndianUnicode.GetBytes(char.ConvertFromUtf32(unicode));
                sb.Append(CultureInfo.InvariantCulture, $"<{glyph:X4}> <{Convert.ToHexString(utf16)}>\n");
            }
            sb.Append("endbfchar\n");
        }
        sb.Append("endcmap CMapName currentdict /CMap defineresource pop end end");
        return sb.ToString();
    }

    private void NewPage()
    {
        _page = new StringBuilder();
        _pages.Add(_page);
        _pageImages.Add([]);
        _y = PageHeight - Margin;
    }

    private static IEnumerable<string> Wrap(string text, TrueTypeFont font, double size, double width)
    {
        var line = "";
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length == 0 || font.Measure(candidate, size) <= width) line = candidate;
            else
            {
                yield return line;
                line = word;
            }
        }
        if (line.Length > 0) yield return line;
    }

    private static string Utf16(string text) => "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";
}
