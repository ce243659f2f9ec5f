using System.Buffers.Binary;
using System.IO.Compression;

namespace Attune.Infrastructure.Images;

/// <summary>
/// Decodes the PNGs Attune keeps (drawings from the canvas, photos) into RGB and alpha planes, so
/// they can be placed in a PDF. Handles 8-bit, non-interlaced images of every colour type; others
/// answer null and the caller says the image could not be included.
/// </summary>
public sealed record PngPixels(int Width, int Height, byte[] Rgb, byte[]? Alpha)
{
    public static PngPixels? Decode(byte[] png)
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
        if (depth != 8 || interlace != 0) return null;
        var channels = colour switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || (colour == 3 && palette is null)) return null;
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        try
        {
            idat.Position = 0;
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            z.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            return null;
        }
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var cur = pixels.AsSpan(y * stride, stride);
            var prev = y == 0 ? Span<byte>.Empty : pixels.AsSpan((y - 1) * stride, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? cur[x - channels] : 0, b = y > 0 ? prev[x] : 0, c = x >= channels && y > 0 ? prev[x - channels] : 0;
                cur[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => 0,
                });
            }
            if (filter > 4) return null;
        }
        var rgb = new byte[width * height * 3];
        var alpha = colour is 4 or 6 || transparency is not null ? new byte[width * height] : null;
        for (var i = 0; i < width * height; i++)
        {
            switch (colour)
            {
                case 0:
                    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = pixels[i];
                    if (alpha is not null) alpha[i] = transparency!.Length >= 2 && pixels[i] == transparency[1] ? (byte)0 : (byte)255;
                    break;
                case 2:
                    pixels.AsSpan(i * 3, 3).CopyTo(rgb.AsSpan(i * 3));
                    if (alpha is not null) alpha[i] = 255;
                    break;
                case 3:
                    var index = pixels[i];
                    if (index * 3 + 2 < palette!.Length) palette.AsSpan(index * 3, 3).CopyTo(rgb.AsSpan(i * 3));
                    if (alpha is not null) alpha[i] = index < transparency!.Length ? transparency[index] : (byte)255;
                    break;
                case 4:
                    rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = pixels[i * 2];
                    alpha![i] = pixels[i * 2 + 1];
                    break;
                case 6:
                    pixels.AsSpan(i * 4, 3).CopyTo(rgb.AsSpan(i * 3));
                    alpha![i] = pixels[i * 4 + 3];
                    break;
            }
        }
        return new PngPixels(width, height, rgb, alpha);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
