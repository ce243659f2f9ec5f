using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Sharing;

/// <summary>
/// One item (a journal entry, a practice's answers, a check-in result) shared by its owner with
/// one person through a channel: someone in their circle who may see shared items, or their
/// therapist. The item itself stays where it is, sealed under its owner's key; the share only lets
/// that one person read it, and is checked on every request. Revoking deletes it; so does ending
/// the relationship.
/// </summary>
/// <remarks>
/// The relationship a share travels through is a column each channel adds to this table itself (a
/// shadow property named by <see cref="IShareChannel.LinkProperty"/>, with its foreign key and
/// cascade), so a new channel is a new column and a new <see cref="IShareChannel"/>, not a branch here.
/// </remarks>
public sealed class Share
{
    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string WithUserId { get; set; } = "";
    public string ItemType { get; set; } = "";
    public Guid ItemId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FirstReadAt { get; set; }
    /// <summary>When the owner last opened the share: reflections written after it are new to them.</summary>
    public DateTime? OwnerSeenAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<Share>
    {
        public void Configure(EntityTypeBuilder<Share> b)
        {
            b.ToTable("Shares");
            b.HasKey(s => s.Id);
            b.Property(s => s.ItemType).HasMaxLength(16);
            b.HasIndex(s => s.OwnerId);
            b.HasIndex(s => s.WithUserId);
        }
    }

    /// <summary>
    /// The channel's column on the share: a relationship that, when it is deleted, takes its shares
    /// with it; one share per item per relationship.
    /// </summary>
    public static void ThroughChannel<TLink>(EntityTypeBuilder<Share> b, string linkProperty) where TLink : class
    {
        b.Property<Guid?>(linkProperty);
        b.HasIndex(linkProperty, nameof(ItemType), nameof(ItemId)).IsUnique();
        b.HasOne<TLink>().WithMany().HasForeignKey(linkProperty).OnDelete(DeleteBehavior.Cascade);
    }
}
