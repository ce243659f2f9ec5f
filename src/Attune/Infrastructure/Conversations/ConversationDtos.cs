namespace Attune.Infrastructure.Conversations;

/// <summary>A message someone writes to a conversation.</summary>
public sealed record MessageInput(string? Text);

/// <summary>One message as one reader sees it: <c>mine</c> when they wrote it, <c>author</c> "You" or the other's name.</summary>
public sealed record MessageDto(Guid Id, bool Mine, string Author, string Text, DateTimeOffset At);
