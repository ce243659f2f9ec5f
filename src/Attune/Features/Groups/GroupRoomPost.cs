using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>What a member shared while holding the talking piece, sealed under the group's key.</summary>
public sealed class GroupRoomPost
{
    public const string Table = "group_room_posts";

    public Guid Id { get; set; }
    public Guid MeetingId { get; set; }
    public string AuthorId { get; set; } = "";
    public int Round { get; set; }
    public Sealed Body { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupRoomPost>
    {
        public void Configure(EntityTypeBuilder<GroupRoomPost> b)
        {
            b.ToTable("GroupRoomPosts");
            b.HasKey(p => p.Id);
            b.Property(p => p.AuthorId).HasMaxLength(64);
            b.HasIndex(p => new { p.MeetingId, p.CreatedAt });
            b.HasIndex(p => p.AuthorId);
            b.HasOne<GroupMeeting>().WithMany().HasForeignKey(p => p.MeetingId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(p => p.AuthorId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
