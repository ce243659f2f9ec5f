using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>
/// A practice or a check-in a therapist asks a person to do by a date. It is done when the person
/// completes that practice, or takes that check-in, after it was set. The note is sealed under
/// the relationship's pair key.
/// </summary>
public sealed class CareAssignment
{
    public const string Table = "care_assignments";

    public Guid Id { get; set; }
    public Guid CareId { get; set; }
    /// <summary><c>practice</c> or <c>checkIn</c>.</summary>
    public string Kind { get; set; } = "";
    /// <summary>The practice's slug or the instrument's code.</summary>
    public string Code { get; set; } = "";
    public DateTime DueAt { get; set; }
    public Sealed? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>For a recurring check-in: days between one and the next. At each due time the next one is set.</summary>
    public int? RepeatDays { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CareAssignment>
    {
        public void Configure(EntityTypeBuilder<CareAssignment> b)
        {
            b.ToTable("CareAssignments");
            b.HasKey(a => a.Id);
            b.Property(a => a.Kind).HasMaxLength(16);
            b.Property(a => a.Code).HasMaxLength(64);
            b.HasIndex(a => new { a.CareId, a.DueAt });
            b.HasOne<CareRelationship>().WithMany().HasForeignKey(a => a.CareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
