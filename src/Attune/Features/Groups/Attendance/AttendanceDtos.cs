namespace Attune.Features.Groups.Attendance;

/// <summary><c>PUT …/meetings/{meetingId}/attendance</c>: whether I plan to come.</summary>
public sealed record AttendanceInput(bool? Coming);

/// <summary>My place at one meeting: whether I said I'd come, and whether I came (checked in to the room).</summary>
public sealed record AttendanceDto(Guid MeetingId, bool? Coming, bool Came);

/// <summary>One member at one meeting, for the facilitator.</summary>
public sealed record AttendeeDto(Guid MemberId, string Name, bool? Coming, bool Came);

/// <summary>The facilitator's view of one meeting: who said they'd come, and who came.</summary>
public sealed record MeetingAttendanceDto(Guid MeetingId, int Number, DateTimeOffset StartsAt, bool Past, int Coming, int Came, IReadOnlyList<AttendeeDto> People);
