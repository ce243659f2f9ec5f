using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Attune.Features.Groups;

/// <summary>One meeting as a calendar sees it: times in UTC, never text anyone wrote.</summary>
public sealed record CalendarMeeting(Guid Id, int Number, DateTime StartsAtUtc, int Minutes, bool Cancelled, int Sequence);

/// <summary>
/// A group's meetings as an iCalendar file. Times are written in UTC (<c>DTSTART…Z</c>) so no
/// calendar has to know the group's zone. Calendars sync to third parties, so the summary says
/// only "Attune group meeting" unless the person asks for the group's title.
/// </summary>
public static class GroupCalendar
{
    public const string Summary = "Attune group meeting";
    public const string ContentType = "text/calendar; charset=utf-8";
    public const string FileName = "attune-group.ics";

    /// <param name="meetings">The cycle, or the one meeting asked for.</param>
    /// <param name="title">The group's title, only when the person chose to include it.</param>
    /// <param name="roomUrl">The room's address for a meeting.</param>
    /// <param name="stamp">Now (UTC), from the app's clock.</param>
    public static string Write(IEnumerable<CalendarMeeting> meetings, string? title, Func<Guid, Uri> roomUrl, DateTime stamp)
    {
        var calendar = new Calendar { Method = "PUBLISH" };
        calendar.ProductId = "-//Attune//Groups//EN";
        foreach (var m in meetings.OrderBy(m => m.StartsAtUtc))
        {
            var start = DateTime.SpecifyKind(m.StartsAtUtc, DateTimeKind.Utc);
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{m.Id}@attune",
                DtStamp = new CalDateTime(DateTime.SpecifyKind(stamp, DateTimeKind.Utc)),
                DtStart = new CalDateTime(start),
                DtEnd = new CalDateTime(start.AddMinutes(m.Minutes)),
                Summary = title is null ? Summary : $"{Summary}: {title}",
                Url = roomUrl(m.Id),
                Sequence = m.Sequence,
                Status = m.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            });
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
