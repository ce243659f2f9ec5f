using System.Reflection;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Assessments;
using Attune.Features.Journey;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

/// <summary>The prompt library (Content/journal/prompts.json), loaded once.</summary>
public sealed class Prompts
{
    private sealed record File(List<JournalPrompt> Prompts);

    public Prompts() : this(Path.Combine(Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location)!, "Content", "journal", "prompts.json")) { }

    public Prompts(string path)
    {
        All = JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path), Journal.Json)!.Prompts;
        _byId = All.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    private readonly Dictionary<string, JournalPrompt> _byId;

    public IReadOnlyList<JournalPrompt> All { get; }

    public JournalPrompt? Find(string? id) => id is not null && _byId.TryGetValue(id, out var p) ? p : null;

    /// <summary>
    /// A prompt that fits where the person is: their current journey phase and the Signs patterns
    /// that scored highest for them, avoiding prompts they have used recently. Random among the fits.
    /// </summary>
    public JournalPrompt Suggest(int phase, IReadOnlyList<string> patterns, IReadOnlySet<string> recentlyUsed, Random random)
    {
        var fits = All.Where(p => p.Phase == phase || (p.Pattern is not null && patterns.Contains(p.Pattern))).ToList();
        if (fits.Count == 0) fits = All.Where(p => p.Phase is null && p.Pattern is null).ToList();
        var fresh = fits.Where(p => !recentlyUsed.Contains(p.Id)).ToList();
        var pool = fresh.Count > 0 ? fresh : fits;
        return pool[random.Next(pool.Count)];
    }
}

/// <summary>"Give me a prompt": one that fits the person's current phase and their strongest Signs patterns.</summary>
public sealed class PromptSuggestions(AttuneDb db, Prompts prompts, JourneyRules rules, Assessments.Instruments instruments, TimeProvider clock)
{
    public async Task<JournalPrompt> SuggestAsync(string ownerId, CancellationToken ct = default)
    {
        var phases = await rules.StatusAsync(ownerId, ct);
        var phase = phases.LastOrDefault(p => p.Status != "locked")?.Number ?? 1;
        var latestSigns = await db.Set<CheckIn>().AsNoTracking().OwnedBy(ownerId).Where(c => c.Instrument == "signs")
            .OrderByDescending(c => c.TakenAt).FirstOrDefaultAsync(ct);
        var patterns = new List<string>();
        if (latestSigns is not null && await db.ScoreAsync(instruments, latestSigns, ct) is { } signs)
            patterns = signs.Subscales.Where(s => s.Value > 0).OrderByDescending(s => s.Value).Take(2).Select(s => s.Key).ToList();
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var recent = (await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).Where(e => e.PromptId != null && e.CreatedAt > since)
            .Select(e => e.PromptId!).ToListAsync(ct)).ToHashSet();
        return prompts.Suggest(phase, patterns, recent, Random.Shared);
    }
}
