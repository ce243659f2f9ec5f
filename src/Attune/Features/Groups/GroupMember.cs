using System.Linq.Expressions;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>
/// A person in a group (not the facilitator). Their id here is the <c>memberId</c> in routes, so a
/// member's account id never leaves the server.
/// </summary>
public sealed class GroupMember
{
    public const string Table = "group_members";

    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public string UserId { get; set; } = "";
    /// <summary>active, left or removed.</summary>
    public string Status { get; set; } = "active";
    /// <summary>The name the group sees, sealed under the group's key; cleared on leaving.</summary>
    public Sealed? GroupName { get; set; }
    /// <summary>Why the facilitator removed them, sealed under the removed person's own data key.</summary>
    public Sealed? RemovalReason { get; set; }
    public DateTime AgreedAt { get; set; }
    public DateTime? LeftAt { get; set; }
    public bool MeasuresConsent { get; set; }
    public bool ShareOwnNumbers { get; set; }
    /// <summary>The member would like to hear about a follow-up cycle.</summary>
    public bool FollowUp { get; set; }
    /// <summary>The facilitator–member pair key (private words), one copy each; made on first use.</summary>
    public Sealed? PairKeyFacilitator { get; set; }
    public Sealed? PairKeyMember { get; set; }

    public static Expression<Func<GroupMember, bool>> ActiveIn(Guid groupId) => m => m.GroupId == groupId && m.Status == "active";
    public static Expression<Func<GroupMember, bool>> Involving(string userId) => m => m.UserId == userId;

    internal sealed class Config : IEntityTypeConfiguration<GroupMember>
    {
        public void Configure(EntityTypeBuilder<GroupMember> b)
        {
            b.ToTable("GroupMembers");
            b.HasKey(m => m.Id);
            b.Property(m => m.UserId).HasMaxLength(64);
            b.Property(m => m.Status).HasMaxLength(16);
            b.HasIndex(m => new { m.GroupId, m.UserId }).IsUnique();
            b.HasIndex(m => m.UserId);
            b.HasOne<Group>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
