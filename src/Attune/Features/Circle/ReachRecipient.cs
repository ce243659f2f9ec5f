using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>One person a reach went to: when it was delivered, seen and answered, and how.</summary>
public sealed class ReachRecipient
{
    public const string Table = "reach_recipients";

    public Guid Id { get; set; }
    public Guid ReachId { get; set; }
    public string SupporterId { get; set; } = "";
    /// <summary>
    /// The circle relationship it was delivered through. The supporter may read the reach only while
    /// that same relationship lasts and lets them receive reaches: ended and begun again later, it
    /// is another relationship, and the old reaches stay closed.
    /// </summary>
    public Guid? MemberId { get; set; }
    public int Wave { get; set; }
    public DateTime DeliveredAt { get; set; }
    public DateTime? SeenAt { get; set; }
    public DateTime? RespondedAt { get; set; }
    public string? ResponseKind { get; set; }
    public int? ResponseMinutes { get; set; }
    /// <summary>The supporter's words, sealed under the supporter's key.</summary>
    public Sealed? ResponseMessage { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<ReachRecipient>
    {
        public void Configure(EntityTypeBuilder<ReachRecipient> b)
        {
            b.ToTable("ReachRecipients");
            b.HasKey(r => r.Id);
            b.Property(r => r.ResponseKind).HasMaxLength(8);
            b.HasIndex(r => new { r.ReachId, r.SupporterId }).IsUnique();
            b.HasIndex(r => r.SupporterId);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(r => r.SupporterId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
