using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>Who said they would come to a meeting, and who came (checked in to the room).</summary>
public sealed class GroupAttendance
{
    public Guid MeetingId { get; set; }
    public string UserId { get; set; } = "";
    public bool? Coming { get; set; }
    public DateTime? CameAt { get; set; }
    /// <summary>When the gentle "we missed you" notice (no content) was sent.</summary>
    public DateTime? MissedNoticeAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupAttendance>
    {
        public void Configure(EntityTypeBuilder<GroupAttendance> b)
        {
            b.ToTable("GroupAttendances");
            b.HasKey(a => new { a.MeetingId, a.UserId });
            b.Property(a => a.UserId).HasMaxLength(64);
            b.HasIndex(a => a.UserId);
            b.HasOne<GroupMeeting>().WithMany().HasForeignKey(a => a.MeetingId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
