using System.Reflection;
using System.Text.Json;

namespace Attune.Features.Groups.Room;

/// <summary>One round prompt: for a part of the journey (1–4), of one kind (<see cref="RoomPrompts.Kinds"/>).</summary>
public sealed record RoomPrompt(string Id, int Part, string Kind, string Title, string Text);

/// <summary>
/// The prompts a facilitator can start a round with (Content/groups/prompts.json), loaded once. Each
/// part of the journey has one of each kind, so a group for any part can run the same arc of
/// meetings: felt age, what the younger self needed, a letter read aloud, and what each person takes.
/// </summary>
public sealed class RoomPrompts : IRoomPrompts
{
    private static readonly string[] KindOrder = ["felt-age", "needed", "letter", "what-i-take"];

    public static IReadOnlyList<string> Kinds => KindOrder;

    /// <summary>The kind of the closing round, whose posts offer "Save to my journal".</summary>
    public const string TakeKind = "what-i-take";

    private sealed record File(List<RoomPrompt> Prompts);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, RoomPrompt> _byId;

    public RoomPrompts() : this(Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "groups", "prompts.json")) { }

    public RoomPrompts(string path)
    {
        All = JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path), Json)!.Prompts;
        _byId = All.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<RoomPrompt> All { get; }

    public RoomPrompt? Find(string? id) => id is not null && _byId.TryGetValue(id, out var p) ? p : null;

    public string? TextOf(string promptId) => Find(promptId)?.Text;

    /// <summary>
    /// The prompts to offer a group suggested for <paramref name="part"/> and on: that part's first,
    /// then the others, so a facilitator sees the fitting ones without losing the rest.
    /// </summary>
    public IReadOnlyList<RoomPrompt> ForPart(int? part) =>
        All.OrderBy(p => p.Part == (part ?? 1) ? 0 : 1).ThenBy(p => p.Part).ThenBy(p => Array.IndexOf(KindOrder, p.Kind)).ToList();
}
