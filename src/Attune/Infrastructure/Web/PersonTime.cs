using System.Globalization;
using System.Security.Claims;
using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Web;

/// <summary>
/// Times as the signed-in person reads them: in their own time zone, never "UTC". The zone is read
/// once per request, on first use, so any page or partial can show times without its model doing so.
/// </summary>
public sealed class PersonTime(IHttpContextAccessor http, AttuneDb db)
{
    private TimeZoneInfo? _zone;

    public async Task<TimeZoneInfo> ZoneAsync()
    {
        if (_zone is not null) return _zone;
        var id = http.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var zoneId = id is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.TimeZone).FirstOrDefaultAsync();
        _zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var z) ? z : TimeZoneInfo.Utc;
        return _zone;
    }

    public async Task<string> LocalAsync(DateTimeOffset at, string format = "d MMM yyyy, HH:mm") =>
        TimeZoneInfo.ConvertTime(at, await ZoneAsync()).ToString(format, CultureInfo.InvariantCulture);

    public Task<string> LocalAsync(DateTime utc, string format = "d MMM yyyy, HH:mm") =>
        LocalAsync(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), format);
}
