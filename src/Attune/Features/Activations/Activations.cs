using System.Reflection;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Assessments;
using Attune.Features.Journey;
using Attune.Infrastructure.Charts;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Activations;

public sealed record EmotionFamily(string Family, IReadOnlyList<string> Words);

/// <summary>The words of the reaction log and the in-the-moment flow (Content/activations/moment.json), loaded once.</summary>
public sealed class MomentContent
{
    private sealed record File(string About, List<EmotionFamily> Emotions, List<string> Needs, Dictionary<string, List<string>> Reassurance);

    public MomentContent() : this(Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "activations", "moment.json")) { }

    public MomentContent(string path)
    {
        var file = JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path), JsonSerializerOptions.Web)!;
        Emotions = file.Emotions;
        Needs = file.Needs;
        Reassurance = file.Reassurance;
    }

    public IReadOnlyList<EmotionFamily> Emotions { get; }
    public IReadOnlyList<string> Needs { get; }
    /// <summary>Pattern code (or "any") → phrases.</summary>
    public IReadOnlyDictionary<string, List<string>> Reassurance { get; }

    /// <summary>A phrase that fits the first pattern that has one, else a general one; <paramref name="pick"/> chooses among them.</summary>
    public string ReassuranceFor(IEnumerable<string> patterns, int pick)
    {
        foreach (var p in patterns)
            if (Reassurance.TryGetValue(p, out var fit) && fit.Count > 0) return fit[Math.Abs(pick) % fit.Count];
        var any = Reassurance["any"];
        return any[Math.Abs(pick) % any.Count];
    }
}

/// <summary>
/// Logging, reading, changing and deleting activations. The whole input is checked before
/// anything is written; what the person wrote is sealed under their key.
/// </summary>
public sealed class Activations(AttuneDb db, GroupCommit commits, Instruments instruments, Practices practices, JourneyRules journey, TimeProvider clock)
{
    /// <summary>Limits, documented in docs/activations.md.</summary>
    public const int MaxField = 2_000, MaxEmotions = 20, MaxWord = 40, MaxYearsBack = 10;
    public const string ContentField = "content";
    public static readonly IReadOnlyList<string> Choices = ["soothe", "write", "reach"];

    private static readonly string[] FallbackPractices = ["catch-it-in-the-moment", "after-a-big-reaction", "grounding-toolkit"];

    public IReadOnlyList<Pattern> Patterns => instruments.Find("signs")!.Patterns!;

    public async Task<(ActivationDto? Activation, FieldErrors? Errors)> CreateAsync(string ownerId, ActivationInput input, CancellationToken ct = default)
    {
        var (content, errors) = Check(input, existing: false);
        if (errors.Any) return (null, errors);
        var now = Micro(clock.GetUtcNow().UtcDateTime);
        var row = new Activation { Id = Infrastructure.SequentialGuid.Next(), OwnerId = ownerId, CreatedAt = now, UpdatedAt = now };
        await ApplyAsync(row, input, content!, ct);
        await commits.SaveAsync(d => d.Add(row), ct);
        return (ToDto(row, content!, await SuggestAsync(ownerId, row.Patterns.Select(p => p.Pattern).ToList(), ct)), null);
    }

    public async Task<(ActivationDto? Activation, FieldErrors? Errors)> UpdateAsync(string ownerId, Guid id, ActivationInput input, CancellationToken ct = default)
    {
        var row = await db.Set<Activation>().AsNoTracking().OwnedBy(ownerId).Include(a => a.Patterns).AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (row is null) return (null, null);
        // A time kept as it was is not checked again: it was fine when it was logged.
        var keptTime = input.OccurredAt is null || input.OccurredAt.Value.UtcDateTime == row.OccurredAt;
        input = input with { OccurredAt = input.OccurredAt ?? new DateTimeOffset(row.OccurredAt), Choice = input.Choice ?? row.Choice };
        var (content, errors) = Check(input, existing: keptTime);
        if (errors.Any) return (null, errors);
        var before = row.Patterns.Select(p => p.Pattern).ToList();
        await ApplyAsync(row, input, content!, ct);
        row.UpdatedAt = Micro(clock.GetUtcNow().UtcDateTime);
        var after = row.Patterns.Select(p => p.Pattern).ToList();
        var changed = new Activation
        {
            Id = row.Id,
            OwnerId = row.OwnerId,
            OccurredAt = row.OccurredAt,
            LocalDay = row.LocalDay,
            LocalHour = row.LocalHour,
            Intensity = row.Intensity,
            FeltAge = row.FeltAge,
            Choice = row.Choice,
            CreatedAt = row.CreatedAt,
            UpdatedAt = row.UpdatedAt,
            Content = row.Content,
        };
        await commits.SaveAsync(d =>
        {
            d.Update(changed);
            foreach (var gone in before.Except(after)) d.Remove(new ActivationPattern { ActivationId = row.Id, Pattern = gone });
            foreach (var added in after.Except(before)) d.Add(new ActivationPattern { ActivationId = row.Id, Pattern = added });
        }, ct);
        return (ToDto(row, content!, null), null);
    }

    public async Task<ActivationDto?> GetAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var row = await db.Set<Activation>().AsNoTracking().OwnedBy(ownerId).Include(a => a.Patterns).AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id, ct);
        return row is null ? null : ToDto(row, await ContentAsync(row, ct), null);
    }

    public async Task<bool> DeleteAsync(string ownerId, Guid id, CancellationToken ct = default)
    {
        var exists = await db.Set<Activation>().AsNoTracking().OwnedBy(ownerId).AnyAsync(a => a.Id == id, ct);
        if (!exists) return false;
        await commits.SaveAsync(d => d.Remove(new Activation { Id = id, OwnerId = ownerId }), ct);
        return true;
    }

    /// <summary>The person's activations, newest first, with filters; <paramref name="after"/> continues a page.</summary>
    public async Task<(List<ActivationDto> Items, (DateTime At, Guid Id)? Next)> ListAsync(
        string ownerId, DateOnly? from, DateOnly? to, string? pattern, int limit, (DateTime At, Guid Id)? after, CancellationToken ct = default)
    {
        var q = db.Set<Activation>().AsNoTracking().OwnedBy(ownerId);
        if (from is { } f) q = q.Where(a => a.LocalDay >= f.DayNumber);
        if (to is { } t) q = q.Where(a => a.LocalDay <= t.DayNumber);
        if (pattern is not null) q = q.Where(a => a.Patterns.Any(p => p.Pattern == pattern));
        if (after is { } c) q = q.Where(a => a.OccurredAt < c.At || (a.OccurredAt == c.At && a.Id.CompareTo(c.Id) < 0));
        var rows = await q.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(limit + 1).Include(a => a.Patterns).AsSplitQuery().ToListAsync(ct);
        (DateTime, Guid)? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            next = (rows[^1].OccurredAt, rows[^1].Id);
        }
        var contents = await Task.WhenAll(rows.Select(r => ContentAsync(r, ct)));
        return (rows.Select((r, i) => ToDto(r, contents[i], null)).ToList(), next);
    }

    internal async Task<ActivationContent> ContentAsync(Activation row, CancellationToken ct) =>
        JsonSerializer.Deserialize(await db.OpenAsync(row.OwnerId, Activation.Table, row.Id.ToString(), ContentField, row.Content, ct), ActivationContentJson.Default.ActivationContent)!;

    internal static ActivationDto ToDto(Activation row, ActivationContent c, PracticeSuggestion? suggestion) =>
        new(row.Id, new DateTimeOffset(row.OccurredAt), c.Situation, c.Reaction, c.Emotions, row.Intensity, row.FeltAge, c.BodyRegions,
            row.Patterns.Select(p => p.Pattern).ToList(), c.Needed, c.Response, row.Choice, new DateTimeOffset(row.CreatedAt), new DateTimeOffset(row.UpdatedAt), suggestion);

    /// <summary>
    /// One integration practice that fits what was logged: from the practices linked to its
    /// patterns, the first one the person can open now, preferring part 4 (bringing it into daily
    /// life). With no pattern, or nothing open, the short pause practice or the grounding kit.
    /// </summary>
    public async Task<PracticeSuggestion?> SuggestAsync(string ownerId, IReadOnlyList<string> patterns, CancellationToken ct = default)
    {
        var status = await journey.StatusAsync(ownerId, ct);
        var open = status.Where(p => p.Status != "locked").Select(p => p.Number).ToHashSet();
        var byCode = Patterns.ToDictionary(p => p.Code);
        var candidates = patterns.Where(byCode.ContainsKey)
            .SelectMany(code => (byCode[code].Practices ?? []).Select(slug => (Slug: slug, Pattern: byCode[code])))
            .Select(c => (c.Slug, c.Pattern, Practice: practices.Find(c.Slug)))
            .Where(c => c.Practice is not null && open.Contains(c.Practice.Phase))
            .ToList();
        var best = candidates.OrderByDescending(c => c.Practice!.Phase == 4).ThenByDescending(c => c.Practice!.Phase).FirstOrDefault();
        if (best.Practice is { } p)
            return new PracticeSuggestion(p.Slug, p.Title, p.Minutes, $"It fits what you noticed: {best.Pattern.Name.ToLowerInvariant()}.", $"/practices/{p.Slug}");
        var fallback = FallbackPractices.Select(practices.Find).FirstOrDefault(x => x is not null && open.Contains(x.Phase));
        return fallback is null ? null
            : new PracticeSuggestion(fallback.Slug, fallback.Title, fallback.Minutes, "A short practice for moments like this one.", $"/practices/{fallback.Slug}");
    }

    private async Task ApplyAsync(Activation row, ActivationInput input, ActivationContent content, CancellationToken ct)
    {
        var at = Micro((input.OccurredAt ?? clock.GetUtcNow()).UtcDateTime);
        var zone = await db.ZoneOfAsync(row.OwnerId, ct);
        var local = TimeZoneInfo.ConvertTimeFromUtc(at, zone);
        row.OccurredAt = at;
        row.LocalDay = DateOnly.FromDateTime(local).DayNumber;
        row.LocalHour = local.Hour;
        row.Intensity = input.Intensity!.Value;
        row.FeltAge = input.FeltAge;
        row.Choice = input.Choice;
        row.Patterns = (input.Patterns ?? []).Distinct(StringComparer.Ordinal).Select(p => new ActivationPattern { ActivationId = row.Id, Pattern = p }).ToList();
        row.Content = await db.SealAsync(row.OwnerId, Activation.Table, row.Id.ToString(), ContentField, JsonSerializer.Serialize(content, ActivationContentJson.Default.ActivationContent), ct);
    }

    /// <summary>To the microsecond, as PostgreSQL keeps it, so what is answered is what is stored.</summary>
    private static DateTime Micro(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);

    private (ActivationContent? Content, FieldErrors Errors) Check(ActivationInput input, bool existing)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.Situation)) errors.Add("situation", "Please say in a few words what happened.");
        errors.MaxLength("situation", input.Situation, MaxField).MaxLength("reaction", input.Reaction, MaxField)
            .MaxLength("needed", input.Needed, MaxField).MaxLength("response", input.Response, MaxField);
        if (input.Intensity is null) errors.Add("intensity", "Please choose how strong it was, from 0 to 10.");
        errors.Range("intensity", input.Intensity, 0, 10).Range("feltAge", input.FeltAge, 0, 18);
        var now = clock.GetUtcNow();
        if (input.OccurredAt is { } at)
        {
            if (at > now.AddMinutes(5)) errors.Add("occurredAt", "This time is in the future. Please choose when it happened.");
            else if (at < now.AddYears(-MaxYearsBack) && !existing) errors.Add("occurredAt", $"Please choose a time within the last {MaxYearsBack} years.");
        }
        var emotions = Words(errors, "emotions", input.Emotions, MaxEmotions);
        var regions = new List<string>();
        if (input.BodyRegions is { } rs)
        {
            if (rs.Count > BodyMap.MaxRegions) errors.Add("bodyRegions", $"Please choose {BodyMap.MaxRegions} places or fewer.");
            for (var i = 0; i < rs.Count; i++)
            {
                if (BodyMap.Find(rs[i]) is null) errors.Add($"bodyRegions[{i}]", "This isn't a place on the body map.");
                else if (!regions.Contains(rs[i])) regions.Add(rs[i]);
            }
        }
        var known = Patterns.Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        if (input.Patterns is { } ps)
        {
            for (var i = 0; i < ps.Count; i++)
                if (ps[i] is null || !known.Contains(ps[i])) errors.Add($"patterns[{i}]", "Patterns can be: " + string.Join(", ", known) + ".");
        }
        if (input.Choice is not null && !Choices.Contains(input.Choice)) errors.Add("choice", "The choice can be soothe, write or reach.");
        if (errors.Any) return (null, errors);
        static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        return (new ActivationContent(input.Situation!.Trim(), Clean(input.Reaction), emotions, regions, Clean(input.Needed), Clean(input.Response)), errors);
    }

    private static List<string> Words(FieldErrors errors, string field, List<string>? raw, int max)
    {
        var words = new List<string>();
        if (raw is null) return words;
        if (raw.Count > max) errors.Add(field, $"Please choose {max} words or fewer.");
        for (var i = 0; i < raw.Count; i++)
        {
            var w = raw[i]?.Trim();
            if (string.IsNullOrEmpty(w)) errors.Add($"{field}[{i}]", "A word can't be empty.");
            else if (w.Length > MaxWord) errors.Add($"{field}[{i}]", $"Please keep each word to {MaxWord} characters or fewer.");
            else if (!words.Contains(w, StringComparer.OrdinalIgnoreCase)) words.Add(w);
        }
        return words;
    }
}
