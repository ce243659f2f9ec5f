using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>A post on the group's between-meetings board, sealed under the group's key.</summary>
public sealed class GroupBoardPost
{
    public const string Table = "group_board_posts";

    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public string AuthorId { get; set; } = "";
    public Sealed Body { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupBoardPost>
    {
        public void Configure(EntityTypeBuilder<GroupBoardPost> b)
        {
            b.ToTable("GroupBoardPosts");
            b.HasKey(p => p.Id);
            b.Property(p => p.AuthorId).HasMaxLength(64);
            b.HasIndex(p => new { p.GroupId, p.CreatedAt });
            b.HasIndex(p => p.AuthorId);
            b.HasOne<Group>().WithMany().HasForeignKey(p => p.GroupId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(p => p.AuthorId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
