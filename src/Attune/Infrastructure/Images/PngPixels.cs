using System.Buffers.Binary;
using System.IO.Compression;

namespace Attune.Infrastructure.Images;

/// <summary>
/// Decodes the PNGs Attune keeps (drawings from the canvas, photos) into RGB and alpha planes, so
/// they can be placed in a PDF. Handles 8-bit, non-interlaced images of every colour type; others
/// answer null and the caller says the image could not be included.
/// </summary>
/// <remarks>
/// A small file can hold a huge, mostly blank image (a 75 KB PNG can be 4096 × 4096), so decoding
/// never holds the whole image: rows are inflated one at a time and averaged straight into an
/// image no larger than the size asked for. Memory is two source rows plus the result.
/// </remarks>
public sealed record PngPixels(int Width, int Height, byte[] Rgb, byte[]? Alpha)
{
    /// <summary>The image's size in pixels from its header, or null when it is not a PNG Attune can read.</summary>
    public static (int Width, int Height)? Size(byte[] png) =>
        ImageCheck.Check(png, allowJpeg: false, int.MaxValue).Image is { } image ? (image.Width, image.Height) : null;

    /// <summary>
    /// The image, scaled down (never up, keeping its shape) to fit <paramref name="maxWidth"/> ×
    /// <paramref name="maxHeight"/> pixels by averaging each box of source pixels.
    /// </summary>
    public static PngPixels? Decode(byte[] png, int maxWidth = int.MaxValue, int maxHeight = int.MaxValue)
    {
        if (ImageCheck.Check(png, allowJpeg: false, int.MaxValue).Image is null) return null;
        int width = 0, height = 0, colour = 0, depth = 0, interlace = 0;
        byte[]? palette = null, transparency = null;
        using var idat = new MemoryStream();
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
                    height = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                    (depth, colour, interlace) = (data[8], data[9], data[12]);
                    break;
                case "PLTE": palette = data.ToArray(); break;
                case "tRNS": transparency = data.ToArray(); break;
                case "IDAT": idat.Write(data); break;
            }
            at += 12 + length;
        }
        if (depth != 8 || interlace != 0 || (long)width * height > ImageCheck.MaxPixels) return null;
        var channels = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || (colour == 3 && palette is null)) return null;

        var scale = Math.Min(1.0, Math.Min((double)Math.Max(1, maxWidth) / width, (double)Math.Max(1, maxHeight) / height));
        int outWidth = Math.Clamp((int)Math.Round(width * scale), 1, width), outHeight = Math.Clamp((int)Math.Round(height * scale), 1, height);
        // Each output pixel averages at most 2 × 2 source pixels spread over its box: the work after
        // inflating is bounded by the size shown, not by the size the file claims.
        var (columns, perColumn) = Samples(width, outWidth);
        var (rows, _) = Samples(height, outHeight);
        var sampledRow = new bool[height];
        foreach (var (y, _) in rows) sampledRow[y] = true;
        var hasAlpha = colour is 4 or 6 || transparency is not null;
        var rgb = new byte[outWidth * outHeight * 3];
        var alpha = hasAlpha ? new byte[outWidth * outHeight] : null;
        // Colour is summed weighted by alpha, so transparent pixels don't darken the edges they border.
        var sums = new long[outWidth * 4];

        var stride = width * channels;
        var line = new byte[stride + 1];
        var cur = new byte[stride];
        var prev = new byte[stride];
        var (band, rowsInBand) = (0, 0);
        try
        {
            idat.Position = 0;
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            for (var y = 0; y < height; y++)
            {
                z.ReadExactly(line);
                var filter = line[0];
                if (filter > 4) return null;
                Unfilter(filter, line.AsSpan(1), cur, prev, channels);
                if (sampledRow[y])
                {
                    Accumulate(cur, colour, palette, transparency, columns, sums);
                    rowsInBand++;
                }
                var nextBand = (int)((long)(y + 1) * outHeight / height);
                if (nextBand != band)
                {
                    Flush(sums, perColumn, rowsInBand, band, outWidth, rgb, alpha);
                    (band, rowsInBand) = (nextBand, 0);
                }
                (cur, prev) = (prev, cur);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return null;
        }
        return new PngPixels(outWidth, outHeight, rgb, alpha);
    }

    /// <summary>For each output index, up to two source indexes at a quarter and three quarters of its box; and how many each output has.</summary>
    private static ((int Source, int Output)[] Samples, int[] PerOutput) Samples(int size, int outSize)
    {
        var samples = new List<(int, int)>(outSize * 2);
        var per = new int[outSize];
        for (var o = 0; o < outSize; o++)
        {
            var start = (int)(((long)o * size + outSize - 1) / outSize);
            var end = (int)(((long)(o + 1) * size + outSize - 1) / outSize);
            var n = Math.Max(1, end - start);
            foreach (var at in n == 1 ? [start] : new[] { start + n / 4, start + 3 * n / 4 })
            {
                samples.Add((Math.Min(at, size - 1), o));
                per[o]++;
            }
        }
        return (samples.ToArray(), per);
    }

    private static void Unfilter(byte filter, ReadOnlySpan<byte> line, Span<byte> cur, ReadOnlySpan<byte> prev, int channels)
    {
        switch (filter)
        {
            case 0:
                line.CopyTo(cur);
                break;
            case 1:
                line[..channels].CopyTo(cur);
                for (var x = channels; x < line.Length; x++) cur[x] = (byte)(line[x] + cur[x - channels]);
                break;
            case 2:
                var v = 0;
                for (; v <= line.Length - System.Numerics.Vector<byte>.Count; v += System.Numerics.Vector<byte>.Count)
                    (new System.Numerics.Vector<byte>(line[v..]) + new System.Numerics.Vector<byte>(prev[v..])).CopyTo(cur[v..]);
                for (; v < line.Length; v++) cur[v] = (byte)(line[v] + prev[v]);
                break;
            case 3:
                for (var x = 0; x < line.Length; x++) cur[x] = (byte)(line[x] + ((x >= channels ? cur[x - channels] : 0) + prev[x]) / 2);
                break;
            default:
                for (var x = 0; x < line.Length; x++)
                    cur[x] = (byte)(line[x] + (x >= channels ? Paeth(cur[x - channels], prev[x], prev[x - channels]) : Paeth(0, prev[x], 0)));
                break;
        }
    }

    private static void Accumulate(byte[] row, int colour, byte[]? palette, byte[]? transparency, (int Source, int Output)[] columns, long[] sums)
    {
        foreach (var (x, output) in columns)
        {
            int r, g, b, a;
            switch (colour)
            {
                case 0:
                    r = g = b = row[x];
                    a = transparency is { Length: >= 2 } && row[x] == transparency[1] ? 0 : 255;
                    break;
                case 2:
                    (r, g, b, a) = (row[x * 3], row[x * 3 + 1], row[x * 3 + 2], 255);
                    break;
                case 3:
                    var index = row[x];
                    (r, g, b) = index * 3 + 2 < palette!.Length ? (palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2]) : (0, 0, 0);
                    a = transparency is not null && index < transparency.Length ? transparency[index] : 255;
                    break;
                case 4:
                    r = g = b = row[x * 2];
                    a = row[x * 2 + 1];
                    break;
                default:
                    (r, g, b, a) = (row[x * 4], row[x * 4 + 1], row[x * 4 + 2], row[x * 4 + 3]);
                    break;
            }
            var at = output * 4;
            sums[at] += r * a;
            sums[at + 1] += g * a;
            sums[at + 2] += b * a;
            sums[at + 3] += a;
        }
    }

    private static void Flush(long[] sums, int[] perColumn, int rows, int band, int outWidth, byte[] rgb, byte[]? alpha)
    {
        for (var cx = 0; cx < outWidth; cx++)
        {
            var at = cx * 4;
            var weight = sums[at + 3];
            var o = (band * outWidth + cx) * 3;
            for (var k = 0; k < 3; k++) rgb[o + k] = weight == 0 ? (byte)0 : (byte)((sums[at + k] + weight / 2) / weight);
            if (alpha is not null)
            {
                var n = (long)perColumn[cx] * rows;
                alpha[band * outWidth + cx] = (byte)((weight + n / 2) / n);
            }
        }
        Array.Clear(sums);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
