using Attune.Infrastructure.Crypto;

namespace Attune.Infrastructure.Conversations;

/// <summary>A stored message of a conversation: who wrote it and when, and its words sealed under the conversation's shared key.</summary>
public interface ISealedMessage
{
    Guid Id { get; }
    string AuthorId { get; }
    Sealed Body { get; set; }
    DateTime CreatedAt { get; }
}
