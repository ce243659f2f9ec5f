using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Care;

/// <summary>A secure message between a therapist and a person, sealed under their relationship's pair key.</summary>
public sealed class CareMessage : ISealedMessage
{
    public const string Table = "care_messages";

    public Guid Id { get; set; }
    public Guid CareId { get; set; }
    public string AuthorId { get; set; } = "";
    public Sealed Body { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CareMessage>
    {
        public void Configure(EntityTypeBuilder<CareMessage> b)
        {
            b.ToTable("CareMessages");
            b.HasKey(m => m.Id);
            b.Property(m => m.AuthorId).HasMaxLength(64);
            b.HasIndex(m => new { m.CareId, m.CreatedAt });
            b.HasOne<CareRelationship>().WithMany().HasForeignKey(m => m.CareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
