namespace Attune.Features.Privacy;

public sealed record DeleteMeRequest(string? Password);
public sealed record AccessLogItem(DateTimeOffset At, string ActorId, string ActorName, string Action, string ItemType, string? ItemId, string? Detail);
public sealed record SessionDto(Guid Id, string Kind, string Client, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, bool Current);
public sealed record SecurityEventDto(DateTimeOffset At, string Action, string Outcome);
