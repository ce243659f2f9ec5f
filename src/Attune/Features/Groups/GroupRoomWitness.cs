using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>A witness reply to a room post: a fixed one (thanks, hear, metoo, heart) or a short reflection (text).</summary>
public sealed class GroupRoomWitness
{
    public const string Table = "group_room_witness";

    public Guid Id { get; set; }
    public Guid PostId { get; set; }
    public string AuthorId { get; set; } = "";
    /// <summary>thanks, hear, metoo, heart or text.</summary>
    public string Kind { get; set; } = "";
    public Sealed? Text { get; set; }
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupRoomWitness>
    {
        public void Configure(EntityTypeBuilder<GroupRoomWitness> b)
        {
            b.ToTable("GroupRoomWitness");
            b.HasKey(w => w.Id);
            b.Property(w => w.AuthorId).HasMaxLength(64);
            b.Property(w => w.Kind).HasMaxLength(8);
            b.HasIndex(w => new { w.PostId, w.AuthorId, w.Kind }).IsUnique();
            b.HasIndex(w => w.AuthorId);
            b.HasOne<GroupRoomPost>().WithMany().HasForeignKey(w => w.PostId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(w => w.AuthorId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
