using System.Security.Claims;
using Attune.Data;

namespace Attune.Infrastructure.Web;

/// <summary>
/// The person this request is for: their id from the sign-in cookie or token, and their name, time
/// zone, country and theme. The profile is read at most once per request, on first use, from
/// <see cref="PersonProfiles"/> (itself cached across requests and forgotten when the account
/// changes). If the account is saved during this request, the next read sees the change.
/// </summary>
public sealed class CurrentPerson(IHttpContextAccessor http, AttuneDb db)
{
    private PersonProfile? _profile;
    private long _generation;

    /// <summary>The id of whoever <paramref name="user"/> is, or null when signed out: the one place the claim is read.</summary>
    public static string? IdOf(ClaimsPrincipal? user) => user?.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The signed-in person's id, or null when no one is signed in.</summary>
    public string? IdOrNull => IdOf(http.HttpContext?.User);

    public bool SignedIn => IdOrNull is not null;

    /// <summary>The signed-in person's id, for code that only runs for a signed-in person.</summary>
    public string Id => IdOrNull ?? throw new InvalidOperationException("This needs a signed-in person.");

    /// <summary>The signed-in person's profile, or null when signed out (or the account is gone).</summary>
    public async Task<PersonProfile?> ProfileAsync(CancellationToken ct = default)
    {
        if (IdOrNull is not { } id) return null;
        var generation = db.Profiles.Generation;
        if (_profile is not null && _profile.UserId == id && generation == _generation) return _profile;
        _profile = await db.ProfileAsync(id, ct);
        _generation = generation;
        return _profile;
    }

    /// <summary>The person's time zone; UTC when signed out or not known to this machine.</summary>
    public async Task<TimeZoneInfo> ZoneAsync(CancellationToken ct = default) => (await ProfileAsync(ct))?.Zone ?? TimeZoneInfo.Utc;

    /// <summary>The person's country (ISO code), or null when they haven't said or are signed out.</summary>
    public async Task<string?> CountryAsync(CancellationToken ct = default) => (await ProfileAsync(ct))?.Country;

    /// <summary>The country asked for, else the person's own, else none: which crisis lines to show.</summary>
    public async Task<string?> CountryAsync(string? asked, CancellationToken ct = default) =>
        !string.IsNullOrWhiteSpace(asked) ? asked.Trim().ToUpperInvariant() : await CountryAsync(ct);

    /// <summary>The name the person chose ("" when none, or signed out).</summary>
    public async Task<string> DisplayNameAsync(CancellationToken ct = default) => (await ProfileAsync(ct))?.DisplayName ?? "";
}
