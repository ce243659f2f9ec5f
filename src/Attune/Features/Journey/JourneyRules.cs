using Attune.Data;
using Attune.Features.Safety;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journey;

/// <summary>
/// The journey's rules, in one place. Phase 1 is always open. Phase 2 opens once safety is in
/// place: a safety plan with at least one person to ask for help and three coping strategies, and
/// three phase-1 practices completed. Phases 3 and 4 open after three practices of the phase
/// before. Someone allowed to (an administrator now, a therapist later) can open or close a phase
/// for a person; that choice wins over the rules.
/// </summary>
public sealed class JourneyRules(AttuneDb db, Practices practices, TimeProvider clock)
{
    public const int PracticesToOpenNext = 3;
    public const int HelpersNeeded = 1;
    public const int CopingNeeded = 3;

    /// <summary>The safety-plan counts read by the last <see cref="StatusAsync"/> (so a page need not read them twice).</summary>
    public (int Helpers, int Coping) LastPlanCounts { get; private set; }

    public async Task<IReadOnlyList<PhaseStatus>> StatusAsync(string ownerId, CancellationToken ct = default)
    {
        var completed = await db.Set<PracticeSession>().AsNoTracking().OwnedBy(ownerId).Where(s => s.CompletedAt != null)
            .GroupBy(s => s.PracticeSlug).Select(g => new { Slug = g.Key, Count = g.Count() }).ToListAsync(ct);
        var timesBySlug = completed.ToDictionary(c => c.Slug, c => c.Count);
        var plan = await db.Set<SafetyPlan>().AsNoTracking().Where(p => p.OwnerId == ownerId)
            .Select(p => new { p.HelperCount, p.CopingCount }).FirstOrDefaultAsync(ct);
        LastPlanCounts = (plan?.HelperCount ?? 0, plan?.CopingCount ?? 0);
        var overrides = await db.Set<PhaseOverride>().AsNoTracking().Where(o => o.OwnerId == ownerId).ToDictionaryAsync(o => o.Phase, o => o.Open, ct);

        var result = new List<PhaseStatus>();
        foreach (var phase in Practices.Phases)
        {
            var inPhase = practices.InPhase(phase.Number);
            var summaries = inPhase.Select(p => new PracticeSummary(p.Slug, p.Title, p.Minutes, p.Kind, p.Summary, timesBySlug.GetValueOrDefault(p.Slug))).ToList();
            var doneHere = summaries.Count(s => s.TimesCompleted > 0);
            var missing = Missing(phase.Number, plan?.HelperCount ?? 0, plan?.CopingCount ?? 0,
                phase.Number == 1 ? 0 : practices.InPhase(phase.Number - 1).Count(p => timesBySlug.ContainsKey(p.Slug)));
            var open = overrides.TryGetValue(phase.Number, out var forced) ? forced : missing.Count == 0;
            var status = !open ? "locked" : doneHere == inPhase.Count ? "completed" : "open";
            string? reason = open ? null
                : missing.Count == 0 ? "This part has been paused for now by someone supporting your journey. You can ask them about it."
                : "To open this part: " + string.Join("; ", missing) + ".";
            result.Add(new PhaseStatus(phase.Number, phase.Title, phase.About, status, reason, summaries));
        }
        return result;
    }

    private static List<string> Missing(int phase, int helpers, int coping, int completedInPrevious)
    {
        var missing = new List<string>();
        if (phase == 1) return missing;
        if (phase == 2)
        {
            if (helpers < HelpersNeeded) missing.Add("add at least one person you can ask for help to your safety plan");
            if (coping < CopingNeeded) missing.Add($"add {CopingNeeded} things you can do on your own to your safety plan (you have {coping})");
        }
        if (completedInPrevious < PracticesToOpenNext)
            missing.Add($"complete {PracticesToOpenNext} practices from part {phase - 1} (you have completed {completedInPrevious})");
        return missing;
    }

    public async Task<bool> IsOpenAsync(string ownerId, int phase, CancellationToken ct = default) =>
        (await StatusAsync(ownerId, ct)).First(p => p.Number == phase).Status != "locked";

    /// <summary>Opens (true), closes (false) or returns to the rules (null) one phase for one person.</summary>
    public async Task SetOverrideAsync(string ownerId, int phase, bool? open, string actorId, CancellationToken ct = default)
    {
        var row = await db.Set<PhaseOverride>().FirstOrDefaultAsync(o => o.OwnerId == ownerId && o.Phase == phase, ct);
        if (open is null)
        {
            if (row is not null) db.Remove(row);
        }
        else
        {
            if (row is null) db.Add(row = new PhaseOverride { OwnerId = ownerId, Phase = phase });
            row.Open = open.Value;
            row.SetBy = actorId;
            row.SetAt = clock.GetUtcNow().UtcDateTime;
        }
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// The distress rule (SUDS, 0–10): at 7 or more, or 3 or more above where the person started,
/// the runner stops offering the next step and offers grounding, a pause, or reaching out.
/// </summary>
public static class Distress
{
    public const int High = 7;
    public const int Rise = 3;

    public static string? SupportReason(int before, int? now)
    {
        var current = now ?? before;
        if (current >= High) return $"You rated your distress {current} out of 10.";
        if (current - before >= Rise) return $"Your distress has gone up from {before} to {current}.";
        return null;
    }
}
