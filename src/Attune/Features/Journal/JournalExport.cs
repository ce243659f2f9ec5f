using System.Globalization;
using System.IO.Compression;
using System.Text;
using Attune.Data;
using Attune.Features.Privacy;
using Attune.Infrastructure.Charts;
using Attune.Infrastructure.Pdf;

namespace Attune.Features.Journal;

/// <summary>
/// The journal to keep: Markdown files in a zip (one file per entry, images beside them), or one
/// PDF with drawings and photos in place. Both open the person's entries in this request only.
/// Callers hold the person's <see cref="ExportGate"/> place while one is made.
/// </summary>
public sealed class JournalExport(AttuneDb db, Journal journal, JournalIndex index, PdfFonts fonts)
{
    public bool PdfAvailable => fonts.Available;

    /// <summary>
    /// The person's entries, oldest first, each with its image opened only when it is reached, so
    /// an export holds one image at a time rather than every drawing at once.
    /// </summary>
    private async IAsyncEnumerable<(JournalEntryDto Entry, (byte[] Bytes, string ContentType)? Image)> EntriesAsync(string ownerId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var e in (await index.FindAsync(db, journal, ownerId, new JournalQuery(), ct)).OrderBy(e => e.CreatedAt))
            yield return (e, e.Image is null ? null : await journal.ImageAsync(ownerId, e.Id, ct));
    }

    /// <summary>
    /// A file name for each entry, unique within the zip: when it was written (in the person's own
    /// time) and its kind, then -2, -3… for entries of one kind written in the same minute, so
    /// unzipping never lets one file overwrite another.
    /// </summary>
    public static string FileStem(JournalEntryDto e, TimeZoneInfo zone, ISet<string> taken)
    {
        var stem = $"{TimeZoneInfo.ConvertTime(e.CreatedAt, zone):yyyy-MM-dd-HHmm}-{e.Kind}";
        var name = stem;
        for (var n = 2; !taken.Add(name.ToLowerInvariant()); n++) name = $"{stem}-{n}";
        return name;
    }

    private static string Extension(string contentType) => contentType == "image/png" ? "png" : "jpg";

    public async Task<byte[]> ZipAsync(string ownerId, TimeZoneInfo zone, CancellationToken ct = default)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var readme = new StringBuilder("# My Attune journal\n\nOne text file per entry, oldest first (they open in any text editor). Drawings and photos are in `images/`.\n\n");
            var taken = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var (entry, image) in EntriesAsync(ownerId, ct))
            {
                var stem = FileStem(entry, zone, taken);
                string? imagePath = null;
                if (image is { } img)
                {
                    imagePath = $"images/{stem}.{Extension(img.ContentType)}";
                    await using var s = zip.CreateEntry(imagePath, CompressionLevel.NoCompression).Open();
                    await s.WriteAsync(img.Bytes, ct);
                }
                var md = Markdown(entry, zone, imagePath is null ? null : "../" + imagePath);
                await using (var s = zip.CreateEntry($"entries/{stem}.md").Open())
                    await s.WriteAsync(Encoding.UTF8.GetBytes(md), ct);
                readme.Append(CultureInfo.InvariantCulture, $"- [{Heading(entry)}](entries/{stem}.md)\n");
            }
            await using var r = zip.CreateEntry("README.md").Open();
            await r.WriteAsync(Encoding.UTF8.GetBytes(readme.ToString()), ct);
        }
        return output.ToArray();
    }

    public static string Heading(JournalEntryDto e) => string.IsNullOrWhiteSpace(e.Title) ? EntryKinds.Label(e.Kind) : e.Title;

    /// <summary>One entry as Markdown: the title, when, then each part in reading order.</summary>
    public static string Markdown(JournalEntryDto e, TimeZoneInfo zone, string? imagePath)
    {
        var sb = new StringBuilder();
        foreach (var (text, kind) in Lines(e, zone))
        {
            sb.Append(kind switch
            {
                LineKind.Title => "# " + text + "\n\n",
                LineKind.Heading => "## " + text + "\n\n",
                LineKind.Meta => "_" + text + "_\n\n",
                LineKind.Image => imagePath is null ? "" : $"![{text}]({imagePath})\n\n",
                _ => text + "\n\n",
            });
        }
        return sb.ToString();
    }

    public enum LineKind { Title, Meta, Heading, Text, Image }

    /// <summary>The entry in reading order; the Markdown and the PDF are both made from this.</summary>
    public static IEnumerable<(string Text, LineKind Kind)> Lines(JournalEntryDto e, TimeZoneInfo zone)
    {
        yield return (Heading(e), LineKind.Title);
        var when = TimeZoneInfo.ConvertTime(e.CreatedAt, zone);
        var meta = $"{EntryKinds.Label(e.Kind)} · {when.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)}";
        if (e.Draft) meta += " · draft";
        if (e.Tags.Count > 0) meta += " · tags: " + string.Join(", ", e.Tags);
        if (e.Mood is { } mood) meta += $" · mood {mood.Valence?.ToString(CultureInfo.InvariantCulture) ?? "–"} (−5 to 5), energy {mood.Energy?.ToString(CultureInfo.InvariantCulture) ?? "–"} (0 to 10)";
        yield return (meta, LineKind.Meta);
        if (e.Letter is { } l)
            yield return ((l.Direction == "fromYounger" ? "From my younger self" : "To my younger self") + (l.Age is { } a ? $", age {a}" : ""), LineKind.Meta);
        if (e.Memory is { } m)
        {
            if (m.Age is { } age) yield return ($"Age {age}" + (m.Parked == true ? " · parked, to explore with support" : ""), LineKind.Meta);
            foreach (var (label, value) in new[] { ("Where", m.Place), ("Who was there", m.People), ("What happened", m.WhatHappened), ("What I felt", m.Felt), ("What I needed", m.Needed), ("What I know now", m.KnowNow) })
            {
                if (string.IsNullOrWhiteSpace(value)) continue;
                yield return (label, LineKind.Heading);
                yield return (value, LineKind.Text);
            }
        }
        if (e.Dialogue is { } d)
            foreach (var t in d.Turns ?? [])
                yield return ((t.Speaker == "younger" ? $"Me at {d.Age?.ToString(CultureInfo.InvariantCulture) ?? "a younger age"}" : "Me now") + ": " + t.Text, LineKind.Text);
        if (e.Body is { } b)
            foreach (var r in b.Regions ?? [])
                yield return ($"{BodyMap.Find(r.Region)?.Name ?? r.Region}: intensity {r.Intensity}/10" + (r.Sensations is { Count: > 0 } s ? " — " + string.Join(", ", s) : ""), LineKind.Text);
        if (!string.IsNullOrWhiteSpace(e.Text)) yield return (e.Text, LineKind.Text);
        if (e.Image is not null) yield return (e.Kind == EntryKinds.Drawing ? "My drawing" : "Photo of my handwritten letter", LineKind.Image);
    }

    public async Task<byte[]> PdfAsync(string ownerId, TimeZoneInfo zone, CancellationToken ct = default)
    {
        using var pdf = fonts.NewDocument("My Attune journal");
        pdf.Heading(1, "My Attune journal", 20, after: 12);
        var any = false;
        await foreach (var (entry, image) in EntriesAsync(ownerId, ct))
        {
            any = true;
            foreach (var (text, kind) in Lines(entry, zone))
            {
                switch (kind)
                {
                    case LineKind.Title: pdf.Heading(2, text, 15, after: 2); break;
                    case LineKind.Meta: pdf.Text(text, 9, after: 4); break;
                    case LineKind.Heading: pdf.Heading(3, text, 11); break;
                    case LineKind.Image:
                        if (image is not { } img || !pdf.Image(img.Bytes, img.ContentType, text)) pdf.Text("(This image could not be placed in the PDF; it is in the zip export.)", 9);
                        break;
                    default:
                        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n')) pdf.Text(paragraph, 11);
                        pdf.Text("", 4);
                        break;
                }
            }
            pdf.Text("", 10);
        }
        if (!any) pdf.Text("No entries yet.", 11);
        return pdf.Save();
    }
}

/// <summary>The journal in <c>/api/v1/me/export</c>: every entry, decrypted, drawings and photos as base64.</summary>
internal sealed class JournalSection(Journal journal, JournalIndex index) : IExportSection
{
    public string Name => "journal";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct)
    {
        var result = new List<JournalEntryDto>();
        foreach (var match in (await index.MatchAsync(db, userId, new JournalQuery(), ct)).OrderBy(m => m.CreatedAt))
            if (await journal.GetAsync(userId, match.Id, ct) is { } entry) result.Add(entry);
        return result;
    }
}
