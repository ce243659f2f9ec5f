using System.Globalization;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Attune.Features.Account;

/// <summary>
/// Countries and time zones as people read them: names, not codes; a time zone by its city and
/// region. Also a first guess at someone's country from the languages their browser asks for
/// ("en-IE" → Ireland), to pre-fill the welcome.
/// </summary>
public static class Places
{
    internal static bool IsTimeZone(string id) =>
        id.Length <= 64 && (id == "UTC" || (TimeZoneInfo.TryFindSystemTimeZoneById(id, out _) && TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _)));

    /// <summary>ISO 3166-1 alpha-2 codes known to the platform's culture data, with English names.</summary>
    internal static readonly Dictionary<string, string> CountryNames = BuildCountries();

    internal static IReadOnlyCollection<string> CountryCodes => CountryNames.Keys;

    private static Dictionary<string, string> BuildCountries()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try { region = new RegionInfo(culture.Name); }
            catch (ArgumentException) { continue; }
            var code = region.TwoLetterISORegionName;
            if (code.Length == 2 && code.All(char.IsAsciiLetterUpper)) result.TryAdd(code, region.EnglishName);
        }
        return result;
    }

    private static readonly Lazy<List<SelectListItem>> Zones = new(BuildZones);

    private static readonly Lazy<List<SelectListItem>> CountryList = new(() => CountryNames
        .Select(c => new SelectListItem(c.Value, c.Key)).OrderBy(i => i.Text, StringComparer.Ordinal).ToList());

    public static IReadOnlyList<SelectListItem> TimeZones => Zones.Value;

    public static IReadOnlyList<SelectListItem> Countries => CountryList.Value;

    public static string CountryName(string? code) =>
        code is not null && CountryNames.TryGetValue(code.ToUpperInvariant(), out var name) ? name : code ?? "";

    /// <summary>"Europe/Dublin" → "Dublin"; "America/Argentina/Buenos_Aires" → "Buenos Aires (Argentina)".</summary>
    public static string ZoneName(string id)
    {
        if (id == "UTC") return "Universal time (UTC)";
        var parts = id.Split('/');
        var city = parts[^1].Replace('_', ' ');
        return parts.Length > 2 ? $"{city} ({parts[1].Replace('_', ' ')})" : city;
    }

    /// <summary>A zone as words beside a time: "Dublin time".</summary>
    public static string ZoneTime(string id) => id == "UTC" ? "universal time (UTC)" : $"{ZoneName(id)} time";

    private static List<SelectListItem> BuildZones()
    {
        var groups = new Dictionary<string, SelectListGroup>(StringComparer.Ordinal);
        var items = new List<SelectListItem>();
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones().Where(z => IsTimeZone(z.Id) && z.Id.Contains('/', StringComparison.Ordinal)))
        {
            var region = zone.Id.Split('/')[0];
            if (region is "Etc" or "SystemV" or "US" or "Canada" or "Brazil" or "Chile" or "Mexico") continue;
            if (!groups.TryGetValue(region, out var group)) groups[region] = group = new SelectListGroup { Name = region };
            items.Add(new SelectListItem(ZoneName(zone.Id), zone.Id) { Group = group });
        }
        var ordered = items.OrderBy(i => i.Group!.Name, StringComparer.Ordinal).ThenBy(i => i.Text, StringComparer.Ordinal).ToList();
        ordered.Add(new SelectListItem(ZoneName("UTC"), "UTC") { Group = new SelectListGroup { Name = "Other" } });
        return ordered;
    }

    /// <summary>The first country named by an Accept-Language header ("en-IE,en;q=0.9" → "IE"), if any.</summary>
    public static string? CountryFromLanguages(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage)) return null;
        foreach (var part in acceptLanguage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tag = part.Split(';')[0].Trim();
            var pieces = tag.Split('-', '_');
            if (pieces.Length < 2) continue;
            var region = pieces[^1].ToUpperInvariant();
            if (region.Length == 2 && CountryNames.ContainsKey(region)) return region;
        }
        return null;
    }
}
