using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Attune.Infrastructure.Images;

namespace Attune.Tests.Support;

/// <summary>Small real images for tests: a PNG drawn pixel by pixel, and a JPEG's marker structure.</summary>
public static class TestImages
{
    /// <summary>An RGBA PNG whose pixels follow <paramref name="seed"/>, optionally with a text chunk (metadata that must be stripped).</summary>
    public static byte[] Png(int width = 40, int height = 30, int seed = 1, string? textChunk = null, bool interlaced = false)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; ihdr[9] = 6; ihdr[12] = interlaced ? (byte)1 : (byte)0;
        Chunk(ms, "IHDR", ihdr);
        if (textChunk is not null) Chunk(ms, "tEXt", Encoding.Latin1.GetBytes("Comment\0" + textChunk));
        var raw = new byte[(width * 4 + 1) * height];
        var random = new Random(seed);
        for (var y = 0; y < height; y++)
        {
            raw[y * (width * 4 + 1)] = (byte)(y % 5); // every filter type, to exercise the decoder
            random.NextBytes(raw.AsSpan(y * (width * 4 + 1) + 1, width * 4));
        }
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(raw);
        Chunk(ms, "IDAT", z.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>
    /// A large white RGBA PNG with one dark square in the middle: compressed as hard as zlib can,
    /// 4096 × 4096 is about 65 KB, the shape of a "small" upload that decodes to 64 MB.
    /// </summary>
    public static byte[] BlankPng(int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; ihdr[9] = 6;
        Chunk(ms, "IHDR", ihdr);
        var row = new byte[width * 4 + 1];
        var marked = new byte[width * 4 + 1];
        row.AsSpan(1).Fill(255);
        marked.AsSpan(1).Fill(255);
        for (var x = width * 3 / 8; x < width * 5 / 8; x++) marked.AsSpan(1 + x * 4, 3).Clear();
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.SmallestSize, leaveOpen: true))
            for (var y = 0; y < height; y++) zs.Write(y >= height * 3 / 8 && y < height * 5 / 8 ? marked : row);
        Chunk(ms, "IDAT", z.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        s.Write(head);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute([.. head.AsSpan(4), .. data]));
        s.Write(crc);
    }

    /// <summary>
    /// A JPEG's structure: SOI, an EXIF segment holding <paramref name="exifText"/>, a comment, a
    /// frame header, a scan and EOI; progressive-style, a second scan after <paramref name="betweenScans"/>
    /// (an EXIF segment, as some tools write there), with a stuffed byte and a restart marker in the data.
    /// </summary>
    public static byte[] Jpeg(int width = 64, int height = 48, string exifText = "", string comment = "", string? betweenScans = null)
    {
        using var ms = new MemoryStream();
        ms.Write([0xFF, 0xD8]);
        void Segment(byte marker, byte[] body)
        {
            ms.Write([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)((body.Length + 2) & 0xFF)]);
            ms.Write(body);
        }
        Segment(0xE0, [.. "JFIF\0"u8.ToArray(), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        Segment(0xE1, [.. "Exif\0\0"u8.ToArray(), .. Encoding.ASCII.GetBytes(exifText)]);
        if (comment.Length > 0) Segment(0xFE, Encoding.ASCII.GetBytes(comment));
        Segment(0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        Segment(0xDA, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0]);
        ms.Write([0x12, 0x34, 0x56, 0x78, 0x9A]);
        if (betweenScans is not null)
        {
            ms.Write([0xFF, 0x00, 0x21, 0xFF, 0xD0, 0x43]);
            Segment(0xE1, [.. "Exif\0\0"u8.ToArray(), .. Encoding.ASCII.GetBytes(betweenScans)]);
            Segment(0xDA, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0]);
            ms.Write([0x55, 0x66, 0xFF, 0x00, 0x77]);
        }
        ms.Write([0xFF, 0xD9]);
        return ms.ToArray();
    }
}
