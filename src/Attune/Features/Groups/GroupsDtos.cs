namespace Attune.Features.Groups;

/// <summary>One meeting as the facilitator gives it: <c>startsAt</c> is local to the group's zone, without an offset.</summary>
public sealed record MeetingInput(string? StartsAt, int? Minutes);

/// <summary>
/// <c>POST /api/v1/groups</c>. <c>listed</c> from someone who isn't a verified therapist waits for an
/// administrator (<c>listing: "pending"</c>).
/// </summary>
public sealed record GroupInput(
    string? Title, string? ForWhom, string? Description, string? Focus, int? Part, string? Language, int? Capacity, string? TimeZone,
    int? MeetingMinutes, string? Join, bool? Listed, List<string>? Questions, List<string>? Agreements, string? Retention,
    List<MeetingInput>? Meetings, string? FacilitatorName);

/// <summary>
/// <c>PATCH /api/v1/groups/{id}</c>: only the fields given change. Retention changes only before the
/// first meeting; <c>addMeetings</c> adds dates, <c>cancelMeetings</c> cancels upcoming ones.
/// </summary>
public sealed record GroupPatch(
    string? Title, string? ForWhom, string? Description, string? Focus, int? Part, string? Language, int? Capacity,
    int? MeetingMinutes, string? Join, bool? Listed, List<string>? Questions, List<string>? Agreements, string? Retention,
    List<MeetingInput>? AddMeetings, List<Guid>? CancelMeetings, string? FacilitatorName);

/// <summary>A meeting in the viewer's own time zone. <c>status</c>: upcoming, open, closed, cancelled or past.</summary>
public sealed record MeetingDto(Guid Id, int Number, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Local, string Ics,
    bool? Coming, bool Came, string Status);

/// <summary>
/// A group as the viewer may see it. Everyone who may see it gets the public offering; <c>role</c>
/// (facilitator, member, applicant or null) says what else they see: <c>agreements</c> and
/// <c>nextMeeting</c> for the people in it, <c>listing</c> and <c>invitation</c> for the facilitator.
/// </summary>
public sealed record GroupDto(
    Guid Id, string Title, string ForWhom, string Description, string? Focus, int? Part, string Language, int Capacity,
    string TimeZone, string TimeZoneName, int MeetingMinutes, string Join, string FacilitatorName, bool FacilitatorVerified,
    IReadOnlyList<string> Questions, IReadOnlyList<string> Agreements, string Retention, int PlacesLeft, int Meetings,
    string? FirstMeeting, MeetingDto? NextMeeting, string? Role, string? ApplicationStatus, Guid? MemberId, string? Listing,
    bool Closed, Guid? FollowsGroupId, DateTimeOffset CreatedAt);

/// <summary>A group in a list: the directory, or one of mine. <c>firstMeeting</c> is the next to start; <c>meetingNow</c>, whether one is under way.</summary>
public sealed record GroupCardDto(Guid Id, string Title, string ForWhom, string? Focus, int? Part, string Language, string FacilitatorName,
    bool FacilitatorVerified, string? FirstMeeting, int PlacesLeft, string Retention, bool Closed, bool MeetingNow = false);

public sealed record MembershipDto(GroupCardDto Group, Guid MemberId, string GroupName, DateTimeOffset AgreedAt);

public sealed record AppliedDto(GroupCardDto Group, Guid ApplicationId, string Status, string? DeclineNote, DateTimeOffset CreatedAt);

/// <summary>A removal, with the reason addressed to the person (opened with their own key).</summary>
public sealed record RemovalNoteDto(Guid GroupId, string GroupTitle, string? Reason, DateTimeOffset At);

/// <summary><c>GET /api/v1/groups/mine</c>.</summary>
public sealed record MyGroupsDto(IReadOnlyList<GroupCardDto> Facilitating, IReadOnlyList<MembershipDto> Member, IReadOnlyList<AppliedDto> Applied,
    IReadOnlyList<RemovalNoteDto> Removed);

public sealed record ApplicationInput(List<string>? Answers, bool? ShareMeasures, bool? TherapistKnows);

public sealed record AnswerDto(string Question, string Answer);

public sealed record MeasureDto(string Instrument, string Title, int Total, int MaxTotal, string? Band, DateTimeOffset TakenAt);

/// <summary>
/// An application. The applicant sees their own; the facilitator sees the answers (opened for them
/// alone), the measures only if <c>shareMeasures</c>, the person's therapist only if <c>therapistKnows</c>.
/// </summary>
public sealed record ApplicationDto(Guid Id, Guid GroupId, string ApplicantName, string Status, IReadOnlyList<AnswerDto> Answers,
    bool ShareMeasures, bool TherapistKnows, IReadOnlyList<MeasureDto>? Measures, string? Therapist, string? DeclineNote,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt);

public sealed record DeclineInput(string? Note);

public sealed record AgreementInput(bool? Accept, string? GroupName, bool? MeasuresConsent);

/// <summary>A member as the group sees them: the name they chose, never an email. The facilitator has no member id.</summary>
public sealed record MemberDto(Guid? MemberId, string Name, string Role, bool Me);

public sealed record RemoveInput(string? Reason);

public sealed record InvitationLinkDto(string Url);

/// <summary>What <c>POST /api/v1/groups/join/{token}</c> gives: the accepted application and where to agree.</summary>
public sealed record JoinedDto(Guid GroupId, Guid ApplicationId, string Status, string Next);

/// <summary>What an administrator sees: the offering and its listing, never anyone's words.</summary>
public sealed record AdminGroupDto(Guid Id, string Title, string FacilitatorName, bool FacilitatorVerified, bool Listed, bool Approved,
    bool HiddenByAdmin, DateTimeOffset CreatedAt);

public sealed record AdminGroupInput(bool? Approved, bool? Hidden);
