using System.Reflection;
using System.Text.Json;

namespace Attune.Features.Safety;

public sealed record CrisisService(string Name, string About, string? Phone, string? Text, string? Chat, string Hours);

public sealed record CrisisRegion(string Name, string Emergency, IReadOnlyList<CrisisService> Services);

/// <summary>The answer for one country: its own lines when we have them, and always the international fallback.</summary>
public sealed record CrisisAnswer(string? Country, bool Found, CrisisRegion? Local, CrisisRegion International, string Note);

/// <summary>
/// Crisis lines by country, from Content/crisis-resources.json, loaded once at startup. Attune is
/// not a crisis service: these are the people who are.
/// </summary>
public sealed class CrisisResources
{
    private sealed record FileShape(string Reviewed, string Note, CrisisRegion International, Dictionary<string, CrisisRegion> Countries);

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
        return new CrisisAnswer(code, found, found ? _data.Countries[code!] : null, _data.International, _data.Note);
    }
}
