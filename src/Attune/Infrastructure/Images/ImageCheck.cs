using System.Buffers.Binary;

namespace Attune.Infrastructure.Images;

/// <summary>A checked image: its type, size in pixels, and its bytes with metadata removed.</summary>
public sealed record CheckedImage(string ContentType, int Width, int Height, byte[] Bytes);

/// <summary>
/// Reads only what it must to trust an uploaded image: the PNG signature, every chunk's length and
/// CRC, and the IHDR header (size, bit depth, colour type); or every JPEG marker and the extent of
/// every scan, with a frame header giving the size. Anything else is refused. Metadata that can
/// carry personal details (text chunks, EXIF with GPS and camera, XMP, comments, times) is dropped
/// on the way in, so it never reaches storage.
/// </summary>
public static class ImageCheck
{
    public const int MaxSide = 4096;
    public const long MaxPixels = 4096L * 4096;

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Chunks kept in a PNG: the image itself and how to show its colours. Everything else goes.</summary>
    private static readonly HashSet<string> KeptPngChunks = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB"];

    /// <summary>Why an image was refused, or null with the cleaned image.</summary>
    public static (CheckedImage? Image, string? Problem) Check(byte[] bytes, bool allowJpeg, int maxBytes)
    {
        if (bytes.Length > maxBytes) return (null, $"Please keep images under {maxBytes / (1024 * 1024)} MB.");
        if (bytes.AsSpan().StartsWith(PngSignature)) return Png(bytes);
        if (allowJpeg && bytes.Length > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return Jpeg(bytes);
        return (null, allowJpeg ? "Please choose a PNG or JPEG image." : "Please send a PNG image.");
    }

    /// <summary>Colour components of a checked JPEG (1 grey, 3 colour, 4 CMYK), from its frame header.</summary>
    public static int JpegComponents(byte[] jpeg)
    {
        for (var at = 2; at + 4 <= jpeg.Length && jpeg[at] == 0xFF;)
        {
            var marker = jpeg[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC) && at + 9 < jpeg.Length) return jpeg[at + 9];
            at += 2 + length;
        }
        return 3;
    }

    private static (CheckedImage?, string?) Png(byte[] bytes)
    {
        const string broken = "This PNG image is damaged or incomplete.";
        using var output = new MemoryStream(bytes.Length);
        output.Write(PngSignature);
        var at = 8;
        int width = 0, height = 0;
        var sawHeader = false;
        var sawData = false;
        while (true)
        {
            if (at + 12 > bytes.Length) return (null, broken);
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            if (length > int.MaxValue || at + 12 + (long)length > bytes.Length) return (null, broken);
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 8 + (int)length));
            if (Crc32.Compute(bytes.AsSpan(at + 4, 4 + (int)length)) != crc) return (null, broken);
            if (!sawHeader)
            {
                if (type != "IHDR" || length != 13) return (null, broken);
                width = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data), int.MaxValue);
                height = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data[4..]), int.MaxValue);
                var (depth, colour, compression, filter, interlace) = (data[8], data[9], data[10], data[11], data[12]);
                var depthOk = colour switch
                {
                    0 => depth is 1 or 2 or 4 or 8 or 16,
                    3 => depth is 1 or 2 or 4 or 8,
                    2 or 4 or 6 => depth is 8 or 16,
                    _ => false,
                };
                if (!depthOk || compression != 0 || filter != 0 || interlace > 1 || width == 0 || height == 0) return (null, broken);
                if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
                    return (null, $"Please keep images to {MaxSide} × {MaxSide} pixels or smaller.");
                sawHeader = true;
            }
            if (type == "IDAT") sawData = true;
            if (KeptPngChunks.Contains(type)) output.Write(bytes, at, 12 + (int)length);
            at += 12 + (int)length;
            if (type == "IEND") break;
        }
        if (!sawData) return (null, broken);
        return (new CheckedImage("image/png", width, height, output.ToArray()), null);
    }

    /// <summary>
    /// Walks the whole file: markers, and the entropy-coded data of every scan (progressive JPEGs
    /// have several, with tables and possibly metadata between them). Metadata segments are
    /// dropped wherever they are, and anything after the end-of-image marker goes too.
    /// </summary>
    private static (CheckedImage?, string?) Jpeg(byte[] bytes)
    {
        const string broken = "This JPEG image is damaged or incomplete.";
        using var output = new MemoryStream(bytes.Length);
        output.Write([0xFF, 0xD8]);
        var at = 2;
        int width = 0, height = 0;
        var scans = 0;
        while (true)
        {
            if (at + 2 > bytes.Length || bytes[at] != 0xFF) return (null, broken);
            var marker = bytes[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker == 0xD9)
            {
                if (scans == 0) return (null, broken);
                output.Write([0xFF, 0xD9]);
                return (new CheckedImage("image/jpeg", width, height, output.ToArray()), null);
            }
            if (marker is 0x00 or 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7)) return (null, broken); // no segment of its own here
            if (at + 4 > bytes.Length) return (null, broken);
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
            if (length < 2 || at + 2 + length > bytes.Length) return (null, broken);
            var isFrame = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (isFrame)
            {
                if (length < 8) return (null, broken);
                height = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 5));
                width = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 7));
                if (width == 0 || height == 0) return (null, broken);
                if (width > MaxSide || height > MaxSide) return (null, $"Please keep images to {MaxSide} × {MaxSide} pixels or smaller.");
            }
            // APP1..APP13 and APP15 (EXIF, XMP, maker notes) and comments are dropped. APP0 (JFIF) and
            // APP14 (Adobe colour transform) are needed to show colours correctly.
            var metadata = marker is (>= 0xE1 and <= 0xED) or 0xEF or 0xFE;
            if (!metadata) output.Write(bytes, at, 2 + length);
            at += 2 + length;
            if (marker != 0xDA) continue;
            if (width == 0) return (null, broken);
            // The scan's entropy-coded data runs to the next marker: 0xFF then anything but a
            // stuffed zero or a restart marker (which belong to the data).
            var start = at;
            while (true)
            {
                if (at + 1 >= bytes.Length) return (null, broken);
                if (bytes[at] == 0xFF && bytes[at + 1] != 0x00 && bytes[at + 1] is not (>= 0xD0 and <= 0xD7)) break;
                at += bytes[at] == 0xFF ? 2 : 1;
            }
            output.Write(bytes, start, at - start);
            scans++;
        }
    }
}

/// <summary>CRC-32 as PNG uses it (ISO 3309, polynomial 0xEDB88320).</summary>
public static class Crc32
{
    private static readonly uint[] Table = Build();

    private static uint[] Build()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
