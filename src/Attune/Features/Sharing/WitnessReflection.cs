using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Sharing;

/// <summary>What the person shared with wrote back: sealed under the key of the channel the share travels through.</summary>
public sealed class WitnessReflection
{
    public const string Table = "witness_reflections";

    public Guid Id { get; set; }
    public Guid ShareId { get; set; }
    public string AuthorId { get; set; } = "";
    public Sealed Text { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<WitnessReflection>
    {
        public void Configure(EntityTypeBuilder<WitnessReflection> b)
        {
            b.ToTable("WitnessReflections");
            b.HasKey(w => w.Id);
            b.Property(w => w.AuthorId).HasMaxLength(64);
            b.HasIndex(w => new { w.ShareId, w.CreatedAt });
            b.HasOne<Share>().WithMany().HasForeignKey(w => w.ShareId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
