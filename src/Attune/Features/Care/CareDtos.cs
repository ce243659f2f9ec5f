using Attune.Infrastructure.Conversations;

namespace Attune.Features.Care;

public sealed record ProfileInput(
    string? Name, string? Credentials, string? LicenceNumber, string? LicenceRegion, List<string>? Modalities, List<string>? Formats,
    string? City, string? Region, string? Country, List<string>? Languages, int? FeeMin, int? FeeMax, string? Currency, bool? SlidingScale,
    bool? Accepting, string? Bio, bool? Published);

public sealed record Fees(int? Min, int? Max, string? Currency, bool SlidingScale);

/// <summary>A profile as anyone may see it once published.</summary>
public sealed record TherapistDto(
    Guid Id, string Name, string Credentials, string LicenceRegion, bool Verified, IReadOnlyList<string> Modalities, IReadOnlyList<string> Formats,
    string? City, string? Region, string Country, IReadOnlyList<string> Languages, Fees Fees, bool Accepting, string Bio, bool HasPhoto);

/// <summary>My own profile: the public part, and what only I (and administrators) see.</summary>
public sealed record MyProfileDto(TherapistDto Profile, string LicenceNumber, bool Published, bool HiddenByAdmin);

/// <summary>What an administrator sees: the profile and its licence, never anyone's personal content.</summary>
public sealed record AdminProfileDto(Guid Id, string Name, string Credentials, string LicenceNumber, string LicenceRegion, string Country,
    bool Verified, bool Published, bool HiddenByAdmin, DateTimeOffset UpdatedAt);

public sealed record DirectoryQuery(string? Q, string? Modality, string? Format, string? Language, string? Country, bool? Accepting, int Limit, string? Cursor, string? Region = null);

public sealed record PhotoInput(string? Image);

public sealed record ConnectInput(string? Message, bool? AttachSigns);

public sealed record Consents(bool Journey, bool CheckIns, bool Activations);

public sealed record ConsentsPatch(bool? Journey, bool? CheckIns, bool? Activations);

public sealed record SignsSnapshot(int Total, int MaxTotal, string? Band, IReadOnlyDictionary<string, int> Patterns, DateTimeOffset TakenAt);

/// <summary>A request to connect as the therapist sees it.</summary>
public sealed record CareRequestDto(Guid Id, string PersonId, string PersonName, string? Message, SignsSnapshot? Signs, DateTimeOffset RequestedAt);

/// <summary>
/// One care relationship as one side sees it: <c>role</c> is <c>person</c> (they are my
/// therapist) or <c>therapist</c> (I am theirs).
/// </summary>
public sealed record CareDto(Guid Id, string Role, string Status, string OtherUserId, string OtherName, Guid? ProfileId, Consents Consents,
    DateTimeOffset RequestedAt, DateTimeOffset? Since);

public sealed record AssignmentInput(string? Practice, string? Instrument, string? DueAt, string? Note, int? RepeatEveryDays = null);

/// <summary>
/// An assignment. The person sees when they did it and how it went; the therapist sees whether and
/// when it was done, and how it went (distress before and after a practice, a check-in's score),
/// only under the matching consent (journey for practices, check-ins for check-ins).
/// </summary>
public sealed record AssignmentDto(Guid Id, Guid CareId, string Kind, string Code, string Title, DateTimeOffset DueAt, string? Note,
    DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, int? SudsBefore, int? SudsAfter, int? Score, string? Band, string TherapistName, string Link, int? RepeatEveryDays);

public sealed record PhaseInput(bool? Open, string? Reason);

public sealed record CheckInSummary(string Code, string Title, int Latest, int First, int MaxTotal, string? Band, DateTimeOffset TakenAt, int Count);

public sealed record ActivationTrend(int Last28Days, double? MeanIntensity, int Previous28Days, double? PreviousMeanIntensity, string Direction,
    IReadOnlyList<PatternCount> Patterns);

public sealed record PatternCount(string Code, string Name, int Count);

public sealed record JourneySummary(int Phase, string PhaseTitle, int CompletedLast30Days, double? SudsBeforeMean, double? SudsAfterMean,
    IReadOnlyList<PhaseState> Phases);

public sealed record PhaseState(int Number, string Title, string Status);

/// <summary>
/// One person on a therapist's caseload, within the consents: each part is null without its
/// consent. <c>safetyFlag</c> is set (with check-in consent, which tells the person so) when
/// their latest PHQ-9 answered item 9 above zero.
/// </summary>
public sealed record CaseloadEntry(string PersonId, Guid CareId, string Name, DateTimeOffset Since, Consents Consents,
    JourneySummary? Journey, IReadOnlyList<CheckInSummary>? CheckIns, bool SafetyFlag, ActivationTrend? Activations,
    int AssignmentsOpen, DateTimeOffset? NextDue, IReadOnlyList<AssignmentDto> Assignments);

/// <summary>The secure conversation between a therapist and a person.</summary>
public sealed record CareConversation(Guid CareId, string With, string Role, IReadOnlyList<MessageDto> Messages);

public sealed record NoteInput(string? SessionDate, string? Text);

public sealed record NoteDto(Guid Id, string PersonId, string PersonName, string SessionDate, string Text, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProposalInput(List<string>? Options, int? Minutes, string? Where);

/// <summary>An appointment as one side sees it, with its start in that person's own time zone.</summary>
public sealed record AppointmentDto(Guid Id, Guid CareId, Guid ProposalId, string With, string Role, string Status, DateTimeOffset StartsAt, int Minutes,
    string LocalStart, string TimeZone, string? Where);
