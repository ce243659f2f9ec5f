using Attune.Features.Sharing;

namespace Attune.Features.Journal;

/// <summary>A journal entry, shared: its words in reading order, and its drawing or photo on the share's own page.</summary>
internal sealed class JournalSharing(Journal journal) : IShareableItems
{
    public string Type => "journal";

    public string Label => "Journal entry";

    public async Task<SharedItemDto?> ReadAsync(string ownerId, Guid id, bool withImage, CancellationToken ct)
    {
        if (await journal.GetAsync(ownerId, id, ct) is not { } e) return null;
        var lines = JournalExport.Lines(e, TimeZoneInfo.Utc).Skip(1).Where(l => l.Kind != JournalExport.LineKind.Image)
            .Select(l => new SharedLine(l.Kind.ToString().ToLowerInvariant(), l.Text)).ToList();
        string? image = null;
        if (withImage && e.Image is not null && await journal.ImageAsync(ownerId, id, ct) is { } img)
            image = $"data:{img.ContentType};base64,{Convert.ToBase64String(img.Bytes)}";
        return new SharedItemDto(Type, id, JournalExport.Heading(e), lines, image);
    }
}
