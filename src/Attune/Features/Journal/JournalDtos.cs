namespace Attune.Features.Journal;

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

/// <summary>What to find: free-text terms and filters. All optional.</summary>
public sealed record JournalQuery(string? Q = null, string? Kind = null, string? Tag = null, DateTimeOffset? From = null, DateTimeOffset? To = null, bool? Parked = null);

public sealed record JournalPrompt(string Id, string Text, int? Phase, string? Pattern);
