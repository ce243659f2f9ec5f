namespace Attune.Features.Sharing;

/// <summary>
/// Conversations the Shared page lists beside what was shared (circle conversations today),
/// registered by the slice that holds them.
/// </summary>
public interface IConversationList
{
    Task<IReadOnlyList<ConversationLink>> ListAsync(string userId, CancellationToken ct);
}

/// <summary>A conversation as a link: where it is, with whom, and when it was last written in.</summary>
public sealed record ConversationLink(string Href, string With, DateTimeOffset LastAt);
