using System.Reflection;
using System.Text.Json;

namespace Attune.Features.Groups;

/// <summary>
/// Attune's default group agreements and the kind default for a declined application, from
/// Content/groups/agreements.json, loaded once. A facilitator may edit the agreements for their own
/// group; the one about being told when your words suggest you may not be safe is what makes the
/// facilitator's notice something each member agreed to, never a silent alert.
/// </summary>
public sealed class GroupAgreements
{
    private sealed record FileShape(string Reviewed, List<string> Agreements, string Decline);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly FileShape _data;

    public GroupAgreements() : this(File.ReadAllText(DefaultPath)) { }

    public GroupAgreements(string json)
    {
        _data = JsonSerializer.Deserialize<FileShape>(json, JsonOptions) ?? throw new InvalidDataException("agreements.json is empty");
        if (_data.Agreements is not { Count: > 0 } || string.IsNullOrWhiteSpace(_data.Decline))
            throw new InvalidDataException("agreements.json needs agreements and a decline note");
    }

    public static string DefaultPath =>
        Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "groups", "agreements.json");

    /// <summary>The defaults a new group starts with.</summary>
    public IReadOnlyList<string> Defaults => _data.Agreements;

    /// <summary>Sent to an applicant who is declined without a note of the facilitator's own.</summary>
    public string DeclineNote => _data.Decline;
}
