using System.Text.Json;
using Attune.Data;
using Attune.Features.Privacy;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Safety;

/// <summary>
/// A person's safety plan, following the Stanley-Brown structure. The lists are personal text, so
/// the whole plan is one sealed document; only the counts that gate the journey stay plain.
/// </summary>
public sealed class SafetyPlan
{
    public const string Table = "safety_plans";

    public string OwnerId { get; set; } = "";
    public Sealed Content { get; set; } = null!;
    public int HelperCount { get; set; }
    public int CopingCount { get; set; }
    public DateTime UpdatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<SafetyPlan>
    {
        public void Configure(EntityTypeBuilder<SafetyPlan> b)
        {
            b.ToTable("SafetyPlans");
            b.HasKey(p => p.OwnerId);
            b.HasOne<AttuneUser>().WithOne().HasForeignKey<SafetyPlan>(p => p.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>The seven parts, in order, with the words people see.</summary>
public static class SafetyPlanSections
{
    public sealed record Section(string Field, string Title, string Prompt, Func<SafetyPlanDto, List<string>> Items);

    public static readonly IReadOnlyList<Section> All =
    [
        new("warningSigns", "Signs a hard time is starting", "Thoughts, feelings, places or body signals that tell you things are getting hard.", p => p.WarningSigns),
        new("copingStrategies", "Things I can do on my own", "Small things that help you feel a bit steadier: a walk, music, a shower, slow breathing.", p => p.CopingStrategies),
        new("distractions", "People and places that take my mind off things", "A friend to text about nothing much, a café, a park, a library.", p => p.Distractions),
        new("helpers", "People I can ask for help", "Names and numbers of people you trust to talk to when it's hard.", p => p.Helpers),
        new("professionals", "Professionals I can contact", "Your therapist, doctor or a local service. Crisis lines for your country are always shown with your plan.", p => p.Professionals),
        new("safeEnvironment", "Making where I am safer", "Things you can move away, lock up or give to someone for a while.", p => p.SafeEnvironment),
        new("reasonsToLive", "My reasons to keep going", "People, animals, hopes and plans that matter to you.", p => p.ReasonsToLive),
    ];
}

public sealed class SafetyPlans(AttuneDb db, TimeProvider clock)
{
    public const int MaxItems = 20;
    public const int MaxItemLength = 300;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SafetyPlanDto> GetAsync(string ownerId, CancellationToken ct = default)
    {
        var row = await db.Set<SafetyPlan>().AsNoTracking().FirstOrDefaultAsync(p => p.OwnerId == ownerId, ct);
        if (row is null) return SafetyPlanDto.Empty;
        var json = await db.OpenAsync(ownerId, SafetyPlan.Table, ownerId, "content", row.Content, ct);
        var plan = JsonSerializer.Deserialize<SafetyPlanDto>(json, Json) ?? SafetyPlanDto.Empty;
        return plan with { UpdatedAt = new DateTimeOffset(row.UpdatedAt) };
    }

    public static (SafetyPlanDto Clean, FieldErrors Errors) Validate(SafetyPlanDto input)
    {
        var errors = new FieldErrors();
        List<string> Clean(string field, List<string>? items)
        {
            var list = (items ?? []).Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).ToList();
            if (list.Count > MaxItems) errors.Add(field, $"Please keep this to {MaxItems} items or fewer.");
            for (var i = 0; i < list.Count; i++)
                if (list[i].Length > MaxItemLength) errors.Add($"{field}[{i}]", $"Please keep each item to {MaxItemLength} characters or fewer.");
            return list;
        }
        var clean = new SafetyPlanDto(
            Clean("warningSigns", input.WarningSigns), Clean("copingStrategies", input.CopingStrategies), Clean("distractions", input.Distractions),
            Clean("helpers", input.Helpers), Clean("professionals", input.Professionals), Clean("safeEnvironment", input.SafeEnvironment),
            Clean("reasonsToLive", input.ReasonsToLive));
        return (clean, errors);
    }

    /// <summary>Saves a validated plan (the caller has checked it), replacing the old one whole.</summary>
    public async Task<SafetyPlanDto> SaveAsync(string ownerId, SafetyPlanDto plan, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var sealedContent = await db.SealAsync(ownerId, SafetyPlan.Table, ownerId, "content", JsonSerializer.Serialize(plan with { UpdatedAt = null }, Json), ct);
        var row = await db.Set<SafetyPlan>().FirstOrDefaultAsync(p => p.OwnerId == ownerId, ct);
        if (row is null) db.Add(row = new SafetyPlan { OwnerId = ownerId });
        row.Content = sealedContent;
        row.HelperCount = plan.Helpers.Count;
        row.CopingCount = plan.CopingStrategies.Count;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return plan with { UpdatedAt = new DateTimeOffset(now) };
    }
}

internal sealed class SafetyPlanSection(SafetyPlans plans) : IExportSection
{
    public string Name => "safetyPlan";

    public async Task<object?> ReadAsync(AttuneDb db, string userId, CancellationToken ct) => await plans.GetAsync(userId, ct);
}
