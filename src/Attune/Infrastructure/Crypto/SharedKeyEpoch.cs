using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// One epoch of a shared key: made when the key is made and at each rotation. Its primary key
/// (key id, epoch) is what makes two rotations at once safe: only one of them can make the next
/// epoch, and the other tries again from the new one.
/// </summary>
public sealed class SharedKeyEpoch
{
    public Guid KeyId { get; set; }
    public int Epoch { get; set; }
    public DateTime CreatedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<SharedKeyEpoch>
    {
        public void Configure(EntityTypeBuilder<SharedKeyEpoch> b)
        {
            b.ToTable("SharedKeyEpochs");
            b.HasKey(e => new { e.KeyId, e.Epoch });
        }
    }
}
