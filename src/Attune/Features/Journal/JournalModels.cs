namespace Attune.Features.Journal;

public static class EntryKinds
{
    public const string Free = "free", Prompted = "prompted", Letter = "letter", Dialogue = "dialogue", Memory = "memory", Body = "body", Drawing = "drawing";

    public static readonly IReadOnlyList<string> All = [Free, Prompted, Letter, Dialogue, Memory, Body, Drawing];

    public static string Label(string kind) => kind switch
    {
        Free => "Free writing",
        Prompted => "Prompted writing",
        Letter => "Letter",
        Dialogue => "Two-voice dialogue",
        Memory => "Memory",
        Body => "Body check-in",
        Drawing => "Drawing",
        _ => kind,
    };
}

/// <summary>The sealed document: everything the person wrote in an entry except images.</summary>
internal sealed record EntryContent(
    string Title, string Text, List<string> Tags, LetterPart? Letter, DialoguePart? Dialogue, MemoryPart? Memory, BodyPart? Body);

/// <summary>Source-generated JSON for the sealed document: search opens thousands at a time.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(EntryContent))]
internal sealed partial class EntryContentJson : System.Text.Json.Serialization.JsonSerializerContext;
