using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// An invitation to someone's circle: a single-use link that expires after 7 days. Only a hash of
/// the link's token is stored. Who was invited (email) and what the person calls them are sealed
/// under the inviting person's key.
/// </summary>
public sealed class CircleInvitation
{
    public const string Table = "circle_invitations";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public Sealed Email { get; set; } = null!;
    public Sealed Name { get; set; } = null!;
    public bool CanReceiveReaches { get; set; }
    public bool CanSeeShared { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CircleInvitation>
    {
        public void Configure(EntityTypeBuilder<CircleInvitation> b)
        {
            b.ToTable("CircleInvitations");
            b.HasKey(i => i.Id);
            b.Property(i => i.TokenHash).HasMaxLength(64);
            b.HasIndex(i => i.TokenHash).IsUnique();
            b.HasIndex(i => i.OwnerId);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(i => i.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
