namespace Attune.Features.Groups.Endings;

/// <summary>A closed group: its board is read-only from <c>closedAt</c>, and everything goes at <c>goneAt</c>.</summary>
public sealed record GroupEndingDto(Guid Id, DateTimeOffset ClosedAt, DateTimeOffset GoneAt);

/// <summary><c>PATCH …/membership</c>: only the fields given change.</summary>
public sealed record MembershipInput(bool? MeasuresConsent, bool? ShareOwnNumbers, bool? FollowUp);

/// <summary>My own choices as a member: check-ins with the group, my numbers to the facilitator, hearing about a follow-up cycle.</summary>
public sealed record MembershipSettingsDto(Guid MemberId, bool MeasuresConsent, bool ShareOwnNumbers, bool FollowUp);
