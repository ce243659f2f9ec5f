using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>
/// A person asking to join. The answers (and a decline note) are sealed under a pair key between the
/// applicant and the facilitator, so no one else — no other member, no administrator — can read them.
/// </summary>
public sealed class GroupApplication
{
    public const string Table = "group_applications";

    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public string ApplicantId { get; set; } = "";
    /// <summary>pending, accepted, declined, waitlisted or withdrawn.</summary>
    public string Status { get; set; } = "pending";
    /// <summary>The answers, a JSON array of strings, sealed under the pair key.</summary>
    public Sealed Answers { get; set; } = null!;
    public Sealed? DeclineNote { get; set; }
    public Sealed KeyApplicant { get; set; } = null!;
    public Sealed KeyFacilitator { get; set; } = null!;
    /// <summary>The applicant agreed to show their latest Signs, PHQ-9 and GAD-7 numbers to the facilitator.</summary>
    public bool ShareMeasures { get; set; }
    /// <summary>The applicant agreed to name their therapist on Attune (if any) to the facilitator.</summary>
    public bool TherapistKnows { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupApplication>
    {
        public void Configure(EntityTypeBuilder<GroupApplication> b)
        {
            b.ToTable("GroupApplications");
            b.HasKey(a => a.Id);
            b.Property(a => a.ApplicantId).HasMaxLength(64);
            b.Property(a => a.Status).HasMaxLength(16);
            b.HasIndex(a => new { a.GroupId, a.ApplicantId }).IsUnique();
            b.HasIndex(a => a.ApplicantId);
            b.HasOne<Group>().WithMany().HasForeignKey(a => a.GroupId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(a => a.ApplicantId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
