using System.Reflection;
using System.Text.Json;

namespace Attune.Features.Safety;

/// <summary>
/// One service. <c>source</c> is the service's own site, where its details come from;
/// <c>checked</c> (yyyy-MM) is when they were last checked against it. How to review them: docs/crisis-lines.md.
/// </summary>
public sealed record CrisisService(string Name, string About, string? Phone, string? Text, string? Chat, string Hours, string Source, string Checked)
{
    /// <summary>"2026-11" → "November 2026".</summary>
    public string CheckedText => DateTime.TryParseExact(Checked + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
        ? d.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture) : Checked;

    public string SourceText => Source.Replace("https://", "", StringComparison.Ordinal).Replace("www.", "", StringComparison.Ordinal).TrimEnd('/');
}

public sealed record CrisisRegion(string Name, string Emergency, IReadOnlyList<CrisisService> Services);

/// <summary>The answer for one country: its own lines when we have them, and always the international fallback.</summary>
public sealed record CrisisAnswer(string? Country, bool Found, CrisisRegion? Local, CrisisRegion International);

/// <summary>
/// Crisis lines by country, from Content/crisis-resources.json, loaded once at startup. Attune is
/// not a crisis service: these are the people who are.
/// </summary>
public sealed class CrisisResources
{
    private sealed record FileShape(string Reviewed, CrisisRegion International, Dictionary<string, CrisisRegion> Countries);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly FileShape _data;

    public CrisisResources() : this(File.ReadAllText(DefaultPath)) { }

    public CrisisResources(string json) =>
        _data = JsonSerializer.Deserialize<FileShape>(json, JsonOptions)
            ?? throw new InvalidDataException("crisis-resources.json is empty");

    public static string DefaultPath => Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "crisis-resources.json");

    public IReadOnlyDictionary<string, CrisisRegion> Countries => _data.Countries;
    public CrisisRegion International => _data.International;

    public CrisisAnswer For(string? country)
    {
        var code = country?.Trim().ToUpperInvariant();
        var found = code is { Length: 2 } && _data.Countries.ContainsKey(code);
        return new CrisisAnswer(code, found, found ? _data.Countries[code!] : null, _data.International);
    }

    /// <summary>Every country with a listed service, by name, with <paramref name="first"/> (the person's own) at the top.</summary>
    public IReadOnlyList<(string Code, CrisisRegion Region)> AllFor(string? first) =>
        _data.Countries.OrderBy(c => c.Key == first?.ToUpperInvariant() ? 0 : 1).ThenBy(c => c.Value.Name, StringComparer.Ordinal)
            .Select(c => (c.Key, c.Value)).ToList();
}
