using System.Globalization;

namespace Attune.Infrastructure.Web;

/// <summary>
/// Times as the signed-in person reads them: in their own time zone, never "UTC". The zone comes
/// from <see cref="CurrentPerson"/>, so any page or partial can show times without its model doing so.
/// </summary>
public sealed class PersonTime(CurrentPerson person)
{
    public Task<TimeZoneInfo> ZoneAsync() => person.ZoneAsync();

    public async Task<string> LocalAsync(DateTimeOffset at, string format = "d MMM yyyy, HH:mm") =>
        TimeZoneInfo.ConvertTime(at, await ZoneAsync()).ToString(format, CultureInfo.InvariantCulture);

    public Task<string> LocalAsync(DateTime utc, string format = "d MMM yyyy, HH:mm") =>
        LocalAsync(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), format);
}
