using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// A reach: "I need someone". The optional message is sealed under the reaching person's key and
/// shown only to the people it went to. Escalation moves it on, one person at a time in the
/// person's order, when nobody has answered "I'm here" or "soon" in time.
/// </summary>
public sealed class Reach
{
    public const string Table = "reaches";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string Urgency { get; set; } = "now";
    public Sealed? Message { get; set; }
    public int EscalateAfterMinutes { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Set when everyone who could be asked has been, and nobody said they were there.</summary>
    public DateTime? ExhaustedAt { get; set; }
    public List<ReachRecipient> Recipients { get; set; } = [];

    internal sealed class Config : IEntityTypeConfiguration<Reach>
    {
        public void Configure(EntityTypeBuilder<Reach> b)
        {
            b.ToTable("Reaches");
            b.HasKey(r => r.Id);
            b.Property(r => r.Urgency).HasMaxLength(16);
            b.HasIndex(r => new { r.OwnerId, r.CreatedAt });
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(r => r.Recipients).WithOne().HasForeignKey(x => x.ReachId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
