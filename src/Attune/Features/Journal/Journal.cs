using System.Text.Json;
using Attune.Data;
using Attune.Features.Journey;
using Attune.Infrastructure.Charts;
using Attune.Infrastructure.Images;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

/// <summary>
/// Creating, reading, changing and deleting journal entries. Every change is checked whole
/// before anything is written, so a bad field saves nothing. Everything a person wrote is sealed
/// under their key before it reaches the database.
/// </summary>
public sealed class Journal(AttuneDb db, GroupCommit commits, Prompts prompts, CrisisLanguage crisis, TimeProvider clock)
{
    /// <summary>Limits, documented in docs/journal.md.</summary>
    public const int MaxTitle = 200, MaxText = 50_000, MaxField = 10_000, MaxTags = 20, MaxTag = 40, MaxTurns = 300;
    public const int MaxDrawingBytes = 3 * 1024 * 1024, MaxPhotoBytes = 5 * 1024 * 1024;
    public const string ContentField = "content", ImageField = "image", SearchField = "search";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(JournalEntryDto? Entry, FieldErrors? Errors)> CreateAsync(string ownerId, JournalInput input, CancellationToken ct = default)
    {
        var (content, image, errors) = await CheckAsync(ownerId, input, existing: null, ct);
        if (errors.Any) return (null, errors);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = new JournalEntry { Id = Infrastructure.SequentialGuid.Next(), OwnerId = ownerId, Kind = input.Kind!, CreatedAt = now, UpdatedAt = now, Version = 1 };
        await ApplyAsync(row, input, content!, image, ct);
        await commits.SaveAsync(d => d.Add(row), ct);
        return (ToDto(row, content!, image?.Bytes, withImage: true), null);
    }

    public async Task<(JournalEntryDto? Entry, FieldErrors? Errors)> UpdateAsync(string ownerId, Guid id, JournalInput input, CancellationToken ct = default)
    {
        var row = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null) return (null, null);
        input = input with { Kind = input.Kind ?? row.Kind };
        var (content, image, errors) = await CheckAsync(ownerId, input, row, ct);
        if (errors.Any) return (null, errors);
        var imageBefore = row.Image;
        await ApplyAsync(row, input, content!, image, ct);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        row.Version++;
        var imageChanged = !ReferenceEquals(imageBefore, row.Image);
        await commits.SaveAsync(d =>
        {
            // Only what can change is written: an unchanged drawing isn't rewritten on every autosave.
            var entry = d.Attach(row);
            foreach (var p in new[] { nameof(JournalEntry.Content), nameof(JournalEntry.SearchText), nameof(JournalEntry.UpdatedAt), nameof(JournalEntry.Version), nameof(JournalEntry.Draft),
                nameof(JournalEntry.Parked), nameof(JournalEntry.Valence), nameof(JournalEntry.Energy), nameof(JournalEntry.PromptId), nameof(JournalEntry.PracticeSessionId), nameof(JournalEntry.ActivationId) })
                entry.Property(p).IsModified = true;
            if (imageChanged)
            {
                entry.Property(nameof(JournalEntry.Image)).IsModified = true;
                entry.Property(nameof(JournalEntry.ImageType)).IsModified = true;
            }
        }, ct);
        var bytes = image?.Bytes ?? (row.Image is null ? null : await db.OpenBytesAsync(ownerId, JournalEntry.Table, row.Id.ToString(), ImageField, row.Image, ct));
        return (ToDto(row, content!, bytes, withImage: true), null);
    }

    public async Task<JournalEntryDto?> GetAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null) return null;
        var image = row.Image is null ? null : await db.OpenBytesAsync(ownerId, JournalEntry.Table, row.Id.ToString(), ImageField, row.Image, ct);
        return ToDto(row, await ContentAsync(row, ct), image, withImage: true);
    }

    public async Task<(byte[] Bytes, string ContentType)?> ImageAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).Where(e => e.Id == id && e.Image != null)
            .Select(e => new { e.Id, e.Image, e.ImageType }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        return (await db.OpenBytesAsync(ownerId, JournalEntry.Table, row.Id.ToString(), ImageField, row.Image!, ct), row.ImageType!);
    }

    public async Task<bool> DeleteAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).Where(e => e.Id == id).Select(e => new JournalEntry { Id = e.Id, OwnerId = e.OwnerId }).FirstOrDefaultAsync(ct);
        if (row is null) return false;
        await commits.SaveAsync(d => d.Remove(row), ct);
        return true;
    }

    internal async Task<EntryContent> ContentAsync(JournalEntry row, CancellationToken ct) =>
        JsonSerializer.Deserialize(await db.OpenAsync(row.OwnerId, JournalEntry.Table, row.Id.ToString(), ContentField, row.Content, ct), EntryContentJson.Default.EntryContent)!;

    internal JournalEntryDto ToDto(JournalEntry row, EntryContent c, byte[]? image, bool withImage)
    {
        var base64 = withImage && image is not null ? Convert.ToBase64String(image) : null;
        var letter = c.Letter is null ? null : c.Letter with { Photo = row.ImageType is null ? null : base64, HasPhoto = row.ImageType is not null };
        var memory = c.Memory is null ? null : c.Memory with { Parked = row.Parked };
        var drawing = row.Kind == EntryKinds.Drawing ? new DrawingPart(base64) : null;
        var mood = row.Valence is null && row.Energy is null ? null : new Mood(row.Valence, row.Energy);
        bool? flagged = withImage ? crisis.Mentions(TextsOf(c)) : null;
        return new JournalEntryDto(row.Id, row.Kind, c.Title, c.Text, c.Tags, new DateTimeOffset(row.CreatedAt), new DateTimeOffset(row.UpdatedAt),
            row.Draft, mood, row.PromptId, row.PracticeSessionId, row.ActivationId, letter, c.Dialogue, memory, c.Body, drawing,
            row.ImageType is null ? null : $"/api/v1/journal/{row.Id}/image", flagged);
    }

    /// <summary>Every piece of text in an entry: what search looks through and what crisis words are checked in.</summary>
    internal static IEnumerable<string?> TextsOf(EntryContent c)
    {
        yield return c.Title;
        yield return c.Text;
        foreach (var t in c.Tags) yield return t;
        foreach (var turn in c.Dialogue?.Turns ?? []) yield return turn.Text;
        if (c.Memory is { } m)
        {
            yield return m.Place; yield return m.People; yield return m.WhatHappened; yield return m.Felt; yield return m.Needed; yield return m.KnowNow;
        }
        foreach (var r in c.Body?.Regions ?? [])
        {
            yield return BodyMap.Find(r.Region)?.Name;
            foreach (var s in r.Sensations ?? []) yield return s;
        }
    }

    private async Task ApplyAsync(JournalEntry row, JournalInput input, EntryContent content, CheckedImage? image, CancellationToken ct)
    {
        row.Draft = input.Draft ?? false;
        row.Parked = input.Memory?.Parked ?? false;
        row.Valence = input.Mood?.Valence;
        row.Energy = input.Mood?.Energy;
        row.PromptId = input.Kind == EntryKinds.Prompted ? input.PromptId : null;
        row.PracticeSessionId = input.PracticeSessionId ?? row.PracticeSessionId;
        row.ActivationId = input.ActivationId ?? row.ActivationId;
        row.Content = await db.SealAsync(row.OwnerId, JournalEntry.Table, row.Id.ToString(), ContentField, JsonSerializer.Serialize(content, EntryContentJson.Default.EntryContent), ct);
        row.SearchText = await db.SealAsync(row.OwnerId, JournalEntry.Table, row.Id.ToString(), SearchField, JournalIndex.SearchText(content.Tags, TextsOf(content)), ct);
        if (image is not null)
        {
            row.Image = await db.SealBytesAsync(row.OwnerId, JournalEntry.Table, row.Id.ToString(), ImageField, image.Bytes, ct);
            row.ImageType = image.ContentType;
        }
        else if (input.Letter?.Photo == "")
        {
            row.Image = null;
            row.ImageType = null;
        }
    }

    /// <summary>Checks the whole input; answers the sealed-to-be content and a cleaned image, or the errors.</summary>
    private async Task<(EntryContent? Content, CheckedImage? Image, FieldErrors Errors)> CheckAsync(string ownerId, JournalInput input, JournalEntry? existing, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var kind = input.Kind;
        if (string.IsNullOrEmpty(kind)) errors.Add("kind", "Please choose what kind of entry this is: " + string.Join(", ", EntryKinds.All) + ".");
        else if (!EntryKinds.All.Contains(kind)) errors.Add("kind", "Entries can be one of: " + string.Join(", ", EntryKinds.All) + ".");
        else if (existing is not null && existing.Kind != kind) errors.Add("kind", "An entry's kind can't change. Start a new entry instead.");
        var draft = input.Draft ?? false;

        errors.MaxLength("title", input.Title, MaxTitle).MaxLength("text", input.Text, MaxText);
        var tags = new List<string>();
        if (input.Tags is { } rawTags)
        {
            if (rawTags.Count > MaxTags) errors.Add("tags", $"Please use {MaxTags} tags or fewer.");
            for (var i = 0; i < rawTags.Count; i++)
            {
                var tag = rawTags[i]?.Trim().TrimStart('#');
                if (string.IsNullOrEmpty(tag)) errors.Add($"tags[{i}]", "A tag can't be empty.");
                else if (tag.Length > MaxTag) errors.Add($"tags[{i}]", $"Please keep each tag to {MaxTag} characters or fewer.");
                else if (!tags.Contains(tag, StringComparer.OrdinalIgnoreCase)) tags.Add(tag);
            }
        }
        errors.Range("mood.valence", input.Mood?.Valence, -5, 5).Range("mood.energy", input.Mood?.Energy, 0, 10);
        if (input.PracticeSessionId is { } sessionId && !await db.Set<PracticeSession>().OwnedBy(ownerId).AnyAsync(s => s.Id == sessionId, ct))
            errors.Add("practiceSessionId", "There's no practice session of yours with this id.");
        if (input.ActivationId is { } activationId && !await db.Set<Activations.Activation>().Where(a => a.OwnerId == ownerId).AnyAsync(a => a.Id == activationId, ct))
            errors.Add("activationId", "There's no logged reaction of yours with this id.");

        // Each kind's own part is only accepted on that kind.
        void NotFor(string part, object? value, string owner) { if (value is not null && kind != owner && EntryKinds.All.Contains(kind ?? "")) errors.Add(part, $"Only {owner} entries have a {part} part."); }
        NotFor("letter", input.Letter, EntryKinds.Letter);
        NotFor("dialogue", input.Dialogue, EntryKinds.Dialogue);
        NotFor("memory", input.Memory, EntryKinds.Memory);
        NotFor("body", input.Body, EntryKinds.Body);
        NotFor("drawing", input.Drawing, EntryKinds.Drawing);
        if (input.PromptId is not null && kind != EntryKinds.Prompted && EntryKinds.All.Contains(kind ?? ""))
            errors.Add("promptId", "Only prompted entries have a prompt.");

        CheckedImage? image = null;
        var hasImage = existing?.Image is not null;
        var hasWords = !string.IsNullOrWhiteSpace(input.Text);
        switch (kind)
        {
            case EntryKinds.Prompted:
                if (input.PromptId is null) errors.Add("promptId", "Please choose a prompt for this entry.");
                else if (prompts.Find(input.PromptId) is null) errors.Add("promptId", "There's no prompt with this id.");
                break;
            case EntryKinds.Letter when input.Letter is { } l:
                if (l.Direction is not ("toYounger" or "fromYounger")) errors.Add("letter.direction", "Please choose toYounger or fromYounger.");
                errors.Range("letter.age", l.Age, 0, 18);
                if (!string.IsNullOrEmpty(l.Photo))
                {
                    image = Image(errors, "letter.photo", l.Photo, allowJpeg: true, MaxPhotoBytes);
                    hasImage = image is not null;
                }
                else if (l.Photo == "") hasImage = false;
                break;
            case EntryKinds.Letter:
                errors.Add("letter", "Please say who the letter is to: your younger self (toYounger) or from them (fromYounger).");
                break;
            case EntryKinds.Dialogue:
                var turns = input.Dialogue?.Turns ?? [];
                errors.Range("dialogue.age", input.Dialogue?.Age, 0, 18);
                if (turns.Count > MaxTurns) errors.Add("dialogue.turns", $"Please keep a dialogue to {MaxTurns} turns or fewer.");
                for (var i = 0; i < turns.Count; i++)
                {
                    if (turns[i] is null) { errors.Add($"dialogue.turns[{i}]", "This turn is empty."); continue; }
                    if (turns[i].Speaker is not ("now" or "younger")) errors.Add($"dialogue.turns[{i}].speaker", "Each turn is spoken by \"now\" (you today) or \"younger\".");
                    if (string.IsNullOrWhiteSpace(turns[i].Text)) errors.Add($"dialogue.turns[{i}].text", "Each turn needs some words. Remove the turn if it isn't needed.");
                    else errors.MaxLength($"dialogue.turns[{i}].text", turns[i].Text, MaxField);
                }
                hasWords |= turns.Count > 0;
                break;
            case EntryKinds.Memory:
                var m = input.Memory;
                errors.Range("memory.age", m?.Age, 0, 18)
                    .MaxLength("memory.place", m?.Place, MaxField).MaxLength("memory.people", m?.People, MaxField)
                    .MaxLength("memory.whatHappened", m?.WhatHappened, MaxField).MaxLength("memory.felt", m?.Felt, MaxField)
                    .MaxLength("memory.needed", m?.Needed, MaxField).MaxLength("memory.knowNow", m?.KnowNow, MaxField);
                hasWords |= m is not null && new[] { m.Place, m.People, m.WhatHappened, m.Felt, m.Needed, m.KnowNow }.Any(s => !string.IsNullOrWhiteSpace(s));
                break;
            case EntryKinds.Body:
                var regions = input.Body?.Regions ?? [];
                if (regions.Count > BodyMap.MaxRegions) errors.Add("body.regions", $"Please mark {BodyMap.MaxRegions} places or fewer.");
                var seen = new HashSet<string>();
                for (var i = 0; i < regions.Count; i++)
                {
                    var r = regions[i];
                    if (r is null || BodyMap.Find(r.Region) is null) { errors.Add($"body.regions[{i}].region", "This isn't a place on the body map."); continue; }
                    if (!seen.Add(r.Region!)) errors.Add($"body.regions[{i}].region", "This place is already marked.");
                    if (r.Intensity is null) errors.Add($"body.regions[{i}].intensity", "Please rate how strong it is, from 0 to 10.");
                    errors.Range($"body.regions[{i}].intensity", r.Intensity, 0, 10);
                    var words = r.Sensations ?? [];
                    if (words.Count > BodyMap.MaxSensations) errors.Add($"body.regions[{i}].sensations", $"Please choose {BodyMap.MaxSensations} words or fewer.");
                    for (var w = 0; w < words.Count; w++)
                        if (string.IsNullOrWhiteSpace(words[w]) || words[w].Length > BodyMap.MaxWordLength)
                            errors.Add($"body.regions[{i}].sensations[{w}]", $"Each word needs 1 to {BodyMap.MaxWordLength} characters.");
                }
                hasWords |= regions.Count > 0;
                break;
            case EntryKinds.Drawing when !string.IsNullOrEmpty(input.Drawing?.Png):
                image = Image(errors, "drawing.png", input.Drawing!.Png!, allowJpeg: false, MaxDrawingBytes);
                hasImage = image is not null;
                break;
        }
        if (!draft && !errors.Any)
        {
            if (kind == EntryKinds.Drawing && !hasImage) errors.Add("drawing.png", "Please draw something before saving, or keep it as a draft.");
            else if (kind != EntryKinds.Drawing && !hasWords && !hasImage) errors.Add(kind switch
            {
                EntryKinds.Dialogue => "dialogue.turns",
                EntryKinds.Body => "body.regions",
                EntryKinds.Memory => "memory.whatHappened",
                _ => "text",
            }, "Please write something before saving, or keep it as a draft.");
        }
        if (errors.Any) return (null, null, errors);

        var content = new EntryContent(input.Title?.Trim() ?? "", input.Text ?? "", tags,
            kind == EntryKinds.Letter ? input.Letter! with { Photo = null, HasPhoto = false } : null,
            kind == EntryKinds.Dialogue ? new DialoguePart(input.Dialogue?.Age, input.Dialogue?.Turns ?? []) : null,
            kind == EntryKinds.Memory ? (input.Memory ?? new MemoryPart(null, null, null, null, null, null, null, null)) with { Parked = null } : null,
            kind == EntryKinds.Body ? new BodyPart(input.Body?.Regions?.Select(r => r with { Sensations = r.Sensations?.Select(s => s.Trim()).ToList() ?? [] }).ToList() ?? []) : null);
        return (content, image, errors);
    }

    private static CheckedImage? Image(FieldErrors errors, string field, string base64, bool allowJpeg, int maxBytes)
    {
        // Accept a data: URL from a canvas as well as bare base64.
        var comma = base64.StartsWith("data:", StringComparison.Ordinal) ? base64.IndexOf(',', StringComparison.Ordinal) : -1;
        var payload = comma >= 0 ? base64[(comma + 1)..] : base64;
        if (payload.Length > (maxBytes / 3 + 1) * 4 + 16) { errors.Add(field, $"Please keep images under {maxBytes / (1024 * 1024)} MB."); return null; }
        byte[] bytes;
        try { bytes = Convert.FromBase64String(payload); }
        catch (FormatException) { errors.Add(field, "This isn't valid base64."); return null; }
        var (image, problem) = ImageCheck.Check(bytes, allowJpeg, maxBytes);
        if (problem is not null) errors.Add(field, problem);
        return image;
    }
}
