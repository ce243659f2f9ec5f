using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>A witness reply to a board post, as in the room.</summary>
public sealed class GroupBoardWitness
{
    public const string Table = "group_board_witness";

    public Guid Id { get; set; }
    public Guid PostId { get; set; }
    public string AuthorId { get; set; } = "";
    /// <summary>thanks, hear, metoo, heart or text.</summary>
    public string Kind { get; set; } = "";
    public Sealed? Text { get; set; }
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupBoardWitness>
    {
        public void Configure(EntityTypeBuilder<GroupBoardWitness> b)
        {
            b.ToTable("GroupBoardWitness");
            b.HasKey(w => w.Id);
            b.Property(w => w.AuthorId).HasMaxLength(64);
            b.Property(w => w.Kind).HasMaxLength(8);
            b.HasIndex(w => new { w.PostId, w.AuthorId, w.Kind }).IsUnique();
            b.HasIndex(w => w.AuthorId);
            b.HasOne<GroupBoardPost>().WithMany().HasForeignKey(w => w.PostId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(w => w.AuthorId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
