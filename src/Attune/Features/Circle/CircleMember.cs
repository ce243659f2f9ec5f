using Attune.Data;
using System.Linq.Expressions;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// One supporter in one person's circle. The person (owner) sets what the supporter may do and
/// their order for escalation; the supporter sets when they are available, in their own time zone.
/// Ending it, from either side, deletes the row: access ends with it.
/// </summary>
public sealed class CircleMember
{
    public const string Table = "circle_members";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string SupporterId { get; set; } = "";
    /// <summary>What the owner calls this supporter, sealed under the owner's key.</summary>
    public Sealed Name { get; set; } = null!;
    public bool CanReceiveReaches { get; set; }
    public bool CanSeeShared { get; set; }
    public int Order { get; set; }
    /// <summary>Set by the supporter: the hours they can be reached, minutes after midnight in their own time zone (null: any time).</summary>
    public int? AvailableFrom { get; set; }
    public int? AvailableTo { get; set; }
    /// <summary>Set by the supporter: "talk now" may reach them outside their hours.</summary>
    public bool TalkNowAnytime { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>
    /// The relationship's pair key: one random key, sealed once under the owner's data key and once
    /// under the supporter's. Conversations and witness reflections between the two are sealed
    /// under it; deleting this row (either side ending it, or either account going) leaves no key
    /// that opens them. Made on first use.
    /// </summary>
    public Sealed? PairKeyOwner { get; set; }
    public Sealed? PairKeySupporter { get; set; }

    /// <summary>The relationships <paramref name="userId"/> is in, on either side: the only ones they may see or change.</summary>
    public static Expression<Func<CircleMember, bool>> Involving(string userId) => m => m.OwnerId == userId || m.SupporterId == userId;

    internal sealed class Config : IEntityTypeConfiguration<CircleMember>
    {
        public void Configure(EntityTypeBuilder<CircleMember> b)
        {
            b.ToTable("CircleMembers");
            b.HasKey(m => m.Id);
            b.HasIndex(m => new { m.OwnerId, m.SupporterId }).IsUnique();
            b.HasIndex(m => m.SupporterId);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(m => m.OwnerId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(m => m.SupporterId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
