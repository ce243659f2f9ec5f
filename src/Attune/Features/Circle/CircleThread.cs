using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// A small live conversation between a person and one of their supporters, opened when the
/// supporter answers a reach with "I'm here". It belongs to the relationship: its messages are
/// sealed under the relationship's pair key, and it goes when the relationship ends, when either
/// account is deleted, or when either of the two closes it.
/// </summary>
public sealed class CircleThread
{
    public const string Table = "circle_threads";

    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Guid? ReachId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CircleThread>
    {
        public void Configure(EntityTypeBuilder<CircleThread> b)
        {
            b.ToTable("CircleThreads");
            b.HasKey(t => t.Id);
            b.HasIndex(t => new { t.MemberId, t.ReachId }).IsUnique();
            b.HasOne<CircleMember>().WithMany().HasForeignKey(t => t.MemberId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
