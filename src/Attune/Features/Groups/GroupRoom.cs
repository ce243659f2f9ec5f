using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>
/// A meeting's live room: a versioned state (ids, flags and numbers as JSON, never text) that only
/// moves forward one version per accepted event. The version is a concurrency token, so two nodes
/// cannot both accept an event for the same version.
/// </summary>
public sealed class GroupRoom
{
    public const string Table = "group_rooms";

    public Guid MeetingId { get; set; }
    public Guid GroupId { get; set; }
    public long Version { get; set; }
    public string State { get; set; } = "{}";
    /// <summary>The facilitator's own prompt for the current round, sealed under the group's key.</summary>
    public Sealed? Prompt { get; set; }
    public DateTime? OpenedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? CloseReason { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupRoom>
    {
        public void Configure(EntityTypeBuilder<GroupRoom> b)
        {
            b.ToTable("GroupRooms");
            b.HasKey(r => r.MeetingId);
            b.Property(r => r.Version).IsConcurrencyToken();
            b.Property(r => r.CloseReason).HasMaxLength(24);
            b.HasIndex(r => r.GroupId);
            b.HasOne<GroupMeeting>().WithOne().HasForeignKey<GroupRoom>(r => r.MeetingId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
