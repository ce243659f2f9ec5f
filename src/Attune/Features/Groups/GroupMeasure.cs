using Attune.Data;
using Attune.Features.Assessments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>
/// A member's PHQ-9 or GAD-7 result linked to one of the group's measure points (0 = on joining; k =
/// after 3k meetings attended). Only the link is here: the scores stay in the member's sealed check-in.
/// </summary>
public sealed class GroupMeasure
{
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public string UserId { get; set; } = "";
    public Guid CheckInId { get; set; }
    public string Instrument { get; set; } = "";
    public int Point { get; set; }
    public DateTime LinkedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupMeasure>
    {
        public void Configure(EntityTypeBuilder<GroupMeasure> b)
        {
            b.ToTable("GroupMeasures");
            b.HasKey(m => m.Id);
            b.Property(m => m.UserId).HasMaxLength(64);
            b.Property(m => m.Instrument).HasMaxLength(16);
            b.HasIndex(m => new { m.GroupId, m.UserId, m.Instrument, m.Point }).IsUnique();
            b.HasIndex(m => m.UserId);
            b.HasOne<Group>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<CheckIn>().WithMany().HasForeignKey(m => m.CheckInId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
