using Attune.Features.Sharing;

namespace Attune.Features.Journey;

/// <summary>A practice session, shared: distress before and after, and each answer under its prompt.</summary>
internal sealed class PracticeSharing(PracticeSessions sessions, Practices practices) : IShareableItems
{
    public string Type => "practice";

    public string Label => "Practice";

    public async Task<SharedItemDto?> ReadAsync(string ownerId, Guid id, bool withImage, CancellationToken ct)
    {
        if (await sessions.GetAsync(ownerId, id, ct) is not { } session) return null;
        var practice = practices.Find(session.Practice);
        var lines = new List<SharedLine>
        {
            new("meta", $"Distress before: {session.SudsBefore}/10" + (session.SudsAfter is { } after ? $" · after: {after}/10" : "")),
        };
        foreach (var step in practice?.Steps ?? [])
        {
            if (!session.Answers.TryGetValue(step.Id, out var answer) || string.IsNullOrWhiteSpace(answer)) continue;
            lines.Add(new SharedLine("heading", step.Prompt ?? step.Text));
            lines.Add(new SharedLine("text", answer));
        }
        return new SharedItemDto(Type, id, practice?.Title ?? session.Practice, lines, null);
    }
}
