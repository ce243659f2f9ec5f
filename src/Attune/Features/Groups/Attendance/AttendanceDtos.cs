namespace Attune.Features.Groups.Attendance;

/// <summary><c>PUT …/meetings/{meetingId}/attendance</c>: whether I plan to come.</summary>
public sealed record AttendanceInput(bool? Coming);

/// <summary>My place at one meeting: whether I said I'd come, and whether I came (checked in to the room).</summary>
public sealed record AttendanceDto(Guid MeetingId, bool? Coming, bool Came);

/// <summary>One member at one meeting, for the facilitator.</summary>
public sealed record AttendeeDto(Guid MemberId, string Name, bool? Coming, bool Came);

/// <summary>
/// The facilitator's view of one meeting: how many said they'd come (<c>Coming</c>, their answers
/// only), and how many came (checked in, counted as they check in). <c>Started</c>: the meeting has
/// begun or someone has already checked in, so "came" means something; <c>Past</c>: its time is over.
/// </summary>
public sealed record MeetingAttendanceDto(Guid MeetingId, int Number, DateTimeOffset StartsAt, bool Started, bool Past, int Coming, int Came, IReadOnlyList<AttendeeDto> People);
