using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// One holder's copy of one epoch of a shared key, sealed under the holder's own data key (bound
/// to the key id and epoch). Holding a copy is what being a holder means: removing a holder
/// deletes their copies, and deleting their account deletes them too.
/// </summary>
public sealed class SharedKeyCopy
{
    public const string Table = "shared_keys";

    public Guid KeyId { get; set; }
    public int Epoch { get; set; }
    public string HolderId { get; set; } = "";
    public Sealed Copy { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    /// <summary>The row id a copy's seal is bound to.</summary>
    internal static string RowId(Guid keyId, int epoch) => $"{keyId}/{epoch}";

    internal sealed class Config : IEntityTypeConfiguration<SharedKeyCopy>
    {
        public void Configure(EntityTypeBuilder<SharedKeyCopy> b)
        {
            b.ToTable("SharedKeyCopies");
            b.HasKey(c => new { c.KeyId, c.Epoch, c.HolderId });
            b.Property(c => c.HolderId).HasMaxLength(64);
            b.HasIndex(c => c.HolderId);
            b.HasOne<SharedKeyEpoch>().WithMany().HasForeignKey(c => new { c.KeyId, c.Epoch }).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.HolderId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
