using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Activations;

/// <summary>
/// One logged activation: a moment when an old reaction flooded in. What the person wrote
/// (situation, reaction, emotion words, body regions, what they needed and did) is one sealed
/// JSON document. Plain, so insights can be counted in the database: when it happened (UTC, and
/// the person's local day and hour at the time), intensity, felt age, the Signs pattern codes and
/// which in-the-moment choice was made.
/// </summary>
public sealed class Activation
{
    public const string Table = "activations";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public DateTime OccurredAt { get; set; }
    /// <summary>The person's local calendar day when it happened, as <see cref="DateOnly.DayNumber"/> (day 0 is a Monday).</summary>
    public int LocalDay { get; set; }
    /// <summary>The person's local hour when it happened, 0–23.</summary>
    public int LocalHour { get; set; }
    public int Intensity { get; set; }
    public int? FeltAge { get; set; }
    /// <summary>The in-the-moment flow's choice (soothe, write, reach), or null for a quick log.</summary>
    public string? Choice { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Sealed Content { get; set; } = null!;
    public List<ActivationPattern> Patterns { get; set; } = [];

    internal sealed class Config : IEntityTypeConfiguration<Activation>
    {
        public void Configure(EntityTypeBuilder<Activation> b)
        {
            b.ToTable("Activations");
            b.HasKey(a => a.Id);
            b.Property(a => a.Choice).HasMaxLength(16);
            b.HasIndex(a => new { a.OwnerId, a.OccurredAt });
            b.HasIndex(a => new { a.OwnerId, a.LocalDay });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(a => a.Patterns).WithOne().HasForeignKey(p => p.ActivationId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>One Signs pattern code on an activation; a row each so counts per pattern are one GROUP BY.</summary>
public sealed class ActivationPattern
{
    public Guid ActivationId { get; set; }
    public string Pattern { get; set; } = "";

    internal sealed class Config : IEntityTypeConfiguration<ActivationPattern>
    {
        public void Configure(EntityTypeBuilder<ActivationPattern> b)
        {
            b.ToTable("ActivationPatterns");
            b.HasKey(p => new { p.ActivationId, p.Pattern });
            b.Property(p => p.Pattern).HasMaxLength(32);
        }
    }
}

public static class ActivationQueries
{
    public static IQueryable<Activation> OwnedBy(this IQueryable<Activation> q, string ownerId) => q.Where(a => a.OwnerId == ownerId);
}

/// <summary>The sealed document.</summary>
internal sealed record ActivationContent(
    string Situation, string? Reaction, List<string> Emotions, List<string> BodyRegions, string? Needed, string? Response);

[System.Text.Json.Serialization.JsonSerializable(typeof(ActivationContent))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class ActivationContentJson : System.Text.Json.Serialization.JsonSerializerContext;
