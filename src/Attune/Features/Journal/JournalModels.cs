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

public sealed record Mood(int? Valence, int? Energy);

/// <summary><c>photo</c>: base64 PNG or JPEG. On update, leave it out to keep the photo, or send "" to remove it.</summary>
public sealed record LetterPart(string? Direction, int? Age, string? Photo = null, bool HasPhoto = false);

public sealed record Turn(string? Speaker, string? Text);

public sealed record DialoguePart(int? Age, List<Turn>? Turns);

public sealed record MemoryPart(int? Age, string? Place, string? People, string? WhatHappened, string? Felt, string? Needed, string? KnowNow, bool? Parked);

public sealed record BodyRegion(string? Region, List<string>? Sensations, int? Intensity);

public sealed record BodyPart(List<BodyRegion>? Regions);

/// <summary><c>png</c>: base64 PNG. On update, leave it out to keep the drawing.</summary>
public sealed record DrawingPart(string? Png);

/// <summary>What a client sends to create or update an entry.</summary>
public sealed record JournalInput(
    string? Kind, string? Title, string? Text, List<string>? Tags, bool? Draft, Mood? Mood, string? PromptId, Guid? PracticeSessionId,
    Guid? ActivationId,
    LetterPart? Letter, DialoguePart? Dialogue, MemoryPart? Memory, BodyPart? Body, DrawingPart? Drawing);

/// <summary>
/// An entry as the API answers it. In lists, image bytes are left out (<c>image</c> gives their
/// address); one entry by id carries them as base64. <c>crisisLanguage</c> is true when the text
/// contains words that suggest crisis, so the editor can offer crisis lines and the safety plan.
/// </summary>
public sealed record JournalEntryDto(
    Guid Id, string Kind, string Title, string Text, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    bool Draft, Mood? Mood, string? PromptId, Guid? PracticeSessionId, Guid? ActivationId,
    LetterPart? Letter, DialoguePart? Dialogue, MemoryPart? Memory, BodyPart? Body, DrawingPart? Drawing, string? Image, bool? CrisisLanguage);

/// <summary>The sealed document: everything the person wrote in an entry except images.</summary>
internal sealed record EntryContent(
    string Title, string Text, List<string> Tags, LetterPart? Letter, DialoguePart? Dialogue, MemoryPart? Memory, BodyPart? Body);

/// <summary>Source-generated JSON for the sealed document: search opens thousands at a time.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(EntryContent))]
internal sealed partial class EntryContentJson : System.Text.Json.Serialization.JsonSerializerContext;
