using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>A private word between the facilitator and one member, sealed under that member row's pair key.</summary>
public sealed class GroupMessage : ISealedMessage
{
    public const string Table = "group_messages";

    public Guid Id { get; set; }
    public Guid MemberRowId { get; set; }
    public string AuthorId { get; set; } = "";
    public Sealed Body { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupMessage>
    {
        public void Configure(EntityTypeBuilder<GroupMessage> b)
        {
            b.ToTable("GroupMessages");
            b.HasKey(m => m.Id);
            b.Property(m => m.AuthorId).HasMaxLength(64);
            b.HasIndex(m => new { m.MemberRowId, m.CreatedAt });
            b.HasOne<GroupMember>().WithMany().HasForeignKey(m => m.MemberRowId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
