using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>
/// A session time. The therapist proposes one to three options (one proposal); the person accepts
/// one, and the others go. Where (a place or a video link) is sealed under the pair key.
/// </summary>
public sealed class CareAppointment
{
    public const string Table = "care_appointments";

    public Guid Id { get; set; }
    public Guid CareId { get; set; }
    public Guid ProposalId { get; set; }
    public DateTime StartsAt { get; set; }
    public int Minutes { get; set; }
    public Sealed? Where { get; set; }
    /// <summary><c>proposed</c> or <c>accepted</c>.</summary>
    public string Status { get; set; } = "proposed";
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CareAppointment>
    {
        public void Configure(EntityTypeBuilder<CareAppointment> b)
        {
            b.ToTable("CareAppointments");
            b.HasKey(a => a.Id);
            b.Property(a => a.Status).HasMaxLength(16);
            b.HasIndex(a => new { a.CareId, a.StartsAt });
            b.HasOne<CareRelationship>().WithMany().HasForeignKey(a => a.CareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
