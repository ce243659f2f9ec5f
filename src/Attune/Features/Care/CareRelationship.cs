using Attune.Data;
using System.Linq.Expressions;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>
/// A person and a therapist: first a request, then (once accepted) a care relationship. The
/// person alone sets the consents; each is off until they turn it on. Words between the two (the
/// request's message, assignment notes) are sealed under a pair key kept twice on this row,
/// sealed under each person's data key, as in the circle. Ending it, from either side, deletes
/// the row and everything under it.
/// </summary>
public sealed class CareRelationship
{
    public const string Table = "care_relationships";

    public Guid Id { get; set; }
    public string PersonId { get; set; } = "";
    public string TherapistId { get; set; } = "";
    /// <summary><c>requested</c>, <c>active</c> or <c>declined</c>.</summary>
    public string Status { get; set; } = CareStatus.Requested;
    public Sealed PairKeyPerson { get; set; } = null!;
    public Sealed PairKeyTherapist { get; set; } = null!;
    public Sealed? Message { get; set; }
    /// <summary>The person's latest Signs result as they chose to attach it (numbers only), under the pair key.</summary>
    public Sealed? Signs { get; set; }
    public bool ConsentJourney { get; set; }
    public bool ConsentCheckIns { get; set; }
    public bool ConsentActivations { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? AnsweredAt { get; set; }
    public DateTime? ConsentsChangedAt { get; set; }

    /// <summary>The relationships <paramref name="userId"/> is in, on either side, whatever their status.</summary>
    public static Expression<Func<CareRelationship, bool>> Involving(string userId) => c => c.PersonId == userId || c.TherapistId == userId;

    /// <summary>What <paramref name="userId"/> may see: as the person, every request of theirs; as the therapist, all but the ones they declined.</summary>
    public static Expression<Func<CareRelationship, bool>> VisibleTo(string userId) =>
        c => c.PersonId == userId || (c.TherapistId == userId && c.Status != CareStatus.Declined);

    internal sealed class Config : IEntityTypeConfiguration<CareRelationship>
    {
        public void Configure(EntityTypeBuilder<CareRelationship> b)
        {
            b.ToTable("CareRelationships");
            b.HasKey(c => c.Id);
            b.Property(c => c.Status).HasMaxLength(16);
            b.HasIndex(c => new { c.PersonId, c.TherapistId }).IsUnique();
            b.HasIndex(c => new { c.TherapistId, c.Status });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.PersonId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.TherapistId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public static class CareStatus
{
    public const string Requested = "requested", Active = "active", Declined = "declined";
}
