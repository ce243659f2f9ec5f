using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>One dated meeting of a group's cycle (UTC; shown in each person's own zone).</summary>
public sealed class GroupMeeting
{
    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public int Number { get; set; }
    public DateTime StartsAt { get; set; }
    public int Minutes { get; set; }
    /// <summary>Raised on every change, so calendars update the event (iCalendar SEQUENCE).</summary>
    public int Sequence { get; set; }
    public DateTime? CancelledAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupMeeting>
    {
        public void Configure(EntityTypeBuilder<GroupMeeting> b)
        {
            b.ToTable("GroupMeetings");
            b.HasKey(m => m.Id);
            b.HasIndex(m => new { m.GroupId, m.StartsAt });
            b.HasOne<Group>().WithMany().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
