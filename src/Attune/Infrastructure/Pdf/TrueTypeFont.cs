using System.Buffers.Binary;

namespace Attune.Infrastructure.Pdf;

/// <summary>
/// Just enough of a TrueType font to lay out text and embed it in a PDF: the character-to-glyph
/// map (cmap formats 4 and 12), glyph advance widths (hmtx) and the units per em (head).
/// </summary>
public sealed class TrueTypeFont
{
    private readonly Dictionary<int, ushort> _glyphs = [];
    private readonly ushort[] _advances;

    private TrueTypeFont(byte[] data)
    {
        Data = data;
        var tables = new Dictionary<string, (int Offset, int Length)>(StringComparer.Ordinal);
        var count = U16(4);
        for (var i = 0; i < count; i++)
        {
            var record = 12 + 16 * i;
            tables[System.Text.Encoding.ASCII.GetString(data, record, 4)] = ((int)U32(record + 8), (int)U32(record + 12));
        }
        UnitsPerEm = U16(tables["head"].Offset + 18);
        var numberOfHMetrics = U16(tables["hhea"].Offset + 34);
        var numGlyphs = U16(tables["maxp"].Offset + 4);
        _advances = new ushort[numGlyphs];
        var hmtx = tables["hmtx"].Offset;
        for (var g = 0; g < numGlyphs; g++) _advances[g] = U16(hmtx + 4 * Math.Min(g, numberOfHMetrics - 1));
        ReadCmap(tables["cmap"].Offset);
    }

    public byte[] Data { get; }
    public int UnitsPerEm { get; }

    public static TrueTypeFont Load(string path) => new(File.ReadAllBytes(path));

    public ushort Glyph(int codepoint) => _glyphs.GetValueOrDefault(codepoint);

    public int Advance(ushort glyph) => glyph < _advances.Length ? _advances[glyph] : _advances[0];

    /// <summary>Width in PDF text space units (1/1000 of the font size).</summary>
    public int Width1000(ushort glyph) => Advance(glyph) * 1000 / UnitsPerEm;

    public double Measure(string text, double size)
    {
        double total = 0;
        foreach (var rune in text.EnumerateRunes()) total += Advance(Glyph(rune.Value));
        return total * size / UnitsPerEm;
    }

    private void ReadCmap(int cmap)
    {
        int? format4 = null, format12 = null;
        var tables = U16(cmap + 2);
        for (var i = 0; i < tables; i++)
        {
            var record = cmap + 4 + 8 * i;
            var (platform, encoding) = (U16(record), U16(record + 2));
            var offset = cmap + (int)U32(record + 4);
            var format = U16(offset);
            if (format == 12 && (platform == 3 && encoding == 10 || platform == 0)) format12 ??= offset;
            if (format == 4 && (platform == 3 && encoding == 1 || platform == 0)) format4 ??= offset;
        }
        if (format12 is { } f12)
        {
            var groups = U32(f12 + 12);
            for (var i = 0; i < groups; i++)
            {
                var g = f12 + 16 + 12 * i;
                var (start, end, glyph) = (U32(g), U32(g + 4), U32(g + 8));
                for (var c = start; c <= end && c <= 0x10FFFF; c++) _glyphs[(int)c] = (ushort)(glyph + (c - start));
            }
            return;
        }
        if (format4 is not { } f4) throw new InvalidDataException("The font has no Unicode character map.");
        var segments = U16(f4 + 6) / 2;
        var ends = f4 + 14;
        var starts = ends + 2 * segments + 2;
        var deltas = starts + 2 * segments;
        var rangeOffsets = deltas + 2 * segments;
        for (var s = 0; s < segments; s++)
        {
            int start = U16(starts + 2 * s), end = U16(ends + 2 * s);
            var delta = (short)U16(deltas + 2 * s);
            int rangeOffset = U16(rangeOffsets + 2 * s);
            for (var c = start; c <= end && c != 0xFFFF; c++)
            {
                int glyph;
                if (rangeOffset == 0) glyph = (c + delta) & 0xFFFF;
                else
                {
                    glyph = U16(rangeOffsets + 2 * s + rangeOffset + 2 * (c - start));
                    if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
                }
                if (glyph != 0) _glyphs[c] = (ushort)glyph;
            }
        }
    }

    private ushort U16(int offset) => BinaryPrimitives.ReadUInt16BigEndian(Data.AsSpan(offset));

    private uint U32(int offset) => BinaryPrimitives.ReadUInt32BigEndian(Data.AsSpan(offset));
}
