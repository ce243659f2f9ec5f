namespace Attune.Features.Groups.Endings;

/// <summary>A closed group: its board is read-only from <c>closedAt</c>, and everything goes at <c>goneAt</c>.</summary>
public sealed record GroupEndingDto(Guid Id, DateTimeOffset ClosedAt, DateTimeOffset GoneAt);

/// <summary><c>PATCH …/membership</c>: only the fields given change.</summary>
public sealed record MembershipInput(bool? MeasuresConsent, bool? ShareOwnNumbers, bool? FollowUp);

/// <summary>My own choices as a member: check-ins with the group, my numbers to the facilitator, hearing about a follow-up cycle.</summary>
public sealed record MembershipSettingsDto(Guid MemberId, bool MeasuresConsent, bool ShareOwnNumbers, bool FollowUp);

/// <summary>
/// <c>POST …/follow-up</c>: a new cycle of the group, with its own meetings (local to the group's
/// zone, as when creating one) and, if given, a new title. Everything else is carried over.
/// </summary>
public sealed record FollowUpInput(string? Title, List<MeetingInput>? Meetings);
