using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Journey;

/// <summary>
/// One time a person does a practice. Answers are sealed; distress ratings (SUDS 0–10), the
/// support choice and dates are plain, for the journey's rules and the person's trends.
/// </summary>
public sealed class PracticeSession
{
    public const string Table = "practice_sessions";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string PracticeSlug { get; set; } = "";
    public int Phase { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int SudsBefore { get; set; }
    public int? SudsLatest { get; set; }
    public int? SudsAfter { get; set; }
    public bool SupportOffered { get; set; }
    /// <summary>What the person chose when support was offered: grounding, pause or reach.</summary>
    public string? Choice { get; set; }
    public Sealed? Answers { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<PracticeSession>
    {
        public void Configure(EntityTypeBuilder<PracticeSession> b)
        {
            b.ToTable("PracticeSessions");
            b.HasKey(s => s.Id);
            b.Property(s => s.PracticeSlug).HasMaxLength(64);
            b.Property(s => s.Choice).HasMaxLength(16);
            b.HasIndex(s => new { s.OwnerId, s.Phase, s.CompletedAt });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>A phase opened or closed for one person by someone allowed to (an administrator now, their therapist later).</summary>
public sealed class PhaseOverride
{
    public string OwnerId { get; set; } = "";
    public int Phase { get; set; }
    public bool Open { get; set; }
    public string SetBy { get; set; } = "";
    public DateTime SetAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<PhaseOverride>
    {
        public void Configure(EntityTypeBuilder<PhaseOverride> b)
        {
            b.ToTable("PhaseOverrides");
            b.HasKey(o => new { o.OwnerId, o.Phase });
            b.Property(o => o.SetBy).HasMaxLength(64);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(o => o.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public static class PracticeSessionQueries
{
    public static IQueryable<PracticeSession> OwnedBy(this IQueryable<PracticeSession> q, string ownerId) => q.Where(s => s.OwnerId == ownerId);
}
