using Attune.Infrastructure.Conversations;

namespace Attune.Features.Circle;

public sealed record InvitationInput(string? Email, string? Name, bool? CanReceiveReaches, bool? CanSeeShared);

public sealed record InvitationDto(Guid Id, string Email, string Name, bool CanReceiveReaches, bool CanSeeShared, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record Availability(string? From, string? To, string TimeZone, bool TalkNowAnytime);

/// <summary>
/// One relationship as one side sees it. <c>role</c> is <c>supporter</c> (they support me) or
/// <c>supporting</c> (I support them). <c>name</c> is what I call them.
/// </summary>
public sealed record MemberDto(Guid MemberId, string Role, string UserId, string Name, bool CanReceiveReaches, bool CanSeeShared, int Order,
    Availability Availability, DateTimeOffset Since);

public sealed record CircleDto(IReadOnlyList<MemberDto> Supporters, IReadOnlyList<MemberDto> Supporting, IReadOnlyList<InvitationDto> Invitations);

/// <summary>A change to a relationship. The owner may change the first four; the supporter the last three.</summary>
public sealed record MemberPatch(string? Name, bool? CanReceiveReaches, bool? CanSeeShared, int? Order, string? AvailableFrom, string? AvailableTo, bool? TalkNowAnytime);

public enum AcceptOutcome { Accepted, NotFound, Expired, Used, WrongAccount, OwnInvitation }

/// <summary>What the accept page shows before the invited person says yes.</summary>
public sealed record InvitationPreview(AcceptOutcome Status, string? InviterName, bool CanReceiveReaches, bool CanSeeShared, DateTimeOffset? ExpiresAt);


public sealed record ReachInput(string? Message, string? Urgency, List<Guid>? To, int? EscalateAfterMinutes);

public sealed record ResponseInput(string? Kind, int? Minutes, string? Message);

/// <summary>Per person: <c>status</c> is delivered, seen or answered; <c>threadId</c> is the conversation "I'm here" opened.</summary>
public sealed record ReachRecipientDto(string UserId, string Name, string Status, int Wave, DateTimeOffset DeliveredAt, DateTimeOffset? SeenAt,
    DateTimeOffset? RespondedAt, string? Response, int? Minutes, string? Message, Guid? ThreadId = null);

public sealed record ReachDto(Guid Id, string Role, string From, string Urgency, string? Message, int EscalateAfterMinutes, DateTimeOffset CreatedAt,
    bool Exhausted, IReadOnlyList<ReachRecipientDto> Recipients);

/// <summary>A conversation. <c>role</c>: <c>person</c> (it was my reach) or <c>supporter</c> (I said "I'm here").</summary>
public sealed record ThreadDto(Guid Id, Guid MemberId, string With, Guid? ReachId, DateTimeOffset CreatedAt, IReadOnlyList<MessageDto> Messages, string Role = "person");

public sealed record ThreadSummary(Guid Id, string With, Guid? ReachId, DateTimeOffset LastAt);
