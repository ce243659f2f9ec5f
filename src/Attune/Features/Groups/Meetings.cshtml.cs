using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>The group's meetings in my own time zone, each with a calendar file; for the people in the group.</summary>
public sealed class MeetingsModel(GroupsService groups, GroupMeetings meetings, Room.RoomLinks links) : SignedInPageModel
{
    public GroupDto Group { get; private set; } = null!;
    public IReadOnlyList<MeetingDto> Items { get; private set; } = [];
    public string ZoneTime { get; private set; } = "";

    /// <summary>The room that is open now or opens soon, for the facilitator and members (null for anyone else).</summary>
    public Room.RoomLink? Room { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await groups.PlaceOfAsync(UserId, id, ct: ct) is not { Involved: true } place) return NotFound();
        Group = await groups.DtoAsync(place, UserId, ct);
        Items = await meetings.ListAsync(UserId, place.Group, ct);
        ZoneTime = Account.Places.ZoneTime((await Me.ZoneAsync(ct)).Id);
        Room = await links.ForAsync(UserId, id, ct);
        return Page();
    }

    /// <summary>One meeting's calendar file, or the whole cycle's when no meeting is named.</summary>
    public async Task<IActionResult> OnGetIcsAsync(Guid id, Guid? meeting, bool title, CancellationToken ct) =>
        await groups.PlaceOfAsync(UserId, id, ct: ct) is { Involved: true } place && await meetings.CalendarAsync(place.Group, meeting, title, ct) is { } ics
            ? File(System.Text.Encoding.UTF8.GetBytes(ics), GroupCalendar.ContentType, GroupCalendar.FileName)
            : NotFound();
}
