using System.Globalization;
using Attune.Features.Sharing;

namespace Attune.Features.Assessments;

/// <summary>A check-in result, shared: when it was taken, the score and what it means, with the instrument's attribution; never the answers.</summary>
internal sealed class CheckInSharing(CheckIns checkIns, Instruments instruments) : IShareableItems
{
    public string Type => "checkin";

    public string Label => "Check-in";

    public async Task<SharedItemDto?> ReadAsync(string ownerId, Guid id, bool withImage, CancellationToken ct)
    {
        if (await checkIns.FindAsync(ownerId, id, withAnswers: false, ct) is not { } c) return null;
        var instrument = instruments.Find(c.Instrument);
        var when = c.TakenAt.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var lines = new List<SharedLine> { new("meta", $"Taken {when}"), new("text", $"Score {c.Total} of {c.MaxTotal}" + (c.Band is null ? "" : $" — {c.Band}")) };
        if (c.Meaning is not null) lines.Add(new SharedLine("text", c.Meaning));
        foreach (var (code, score) in c.Subscales)
            lines.Add(new SharedLine("text", $"{instrument?.Patterns?.FirstOrDefault(x => x.Code == code)?.Name ?? code}: {score}"));
        if (instrument is not null) lines.Add(new SharedLine("meta", instrument.Attribution));
        return new SharedItemDto(Type, id, instrument?.Title ?? c.Instrument, lines, null);
    }
}
