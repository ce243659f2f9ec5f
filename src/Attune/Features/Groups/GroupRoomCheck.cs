using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>
/// A check-in or check-out: distress 0–10 (the facilitator sees it) and one word (the group sees it),
/// or a pass (no word).
/// </summary>
public sealed class GroupRoomCheck
{
    public const string Table = "group_room_checks";

    public Guid MeetingId { get; set; }
    public string UserId { get; set; } = "";
    /// <summary>"in" or "out".</summary>
    public string Kind { get; set; } = "in";
    public int? Suds { get; set; }
    /// <summary>The one word, sealed under the group's key; null is a pass.</summary>
    public Sealed? Word { get; set; }
    public DateTime At { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<GroupRoomCheck>
    {
        public void Configure(EntityTypeBuilder<GroupRoomCheck> b)
        {
            b.ToTable("GroupRoomChecks");
            b.HasKey(c => new { c.MeetingId, c.UserId, c.Kind });
            b.Property(c => c.UserId).HasMaxLength(64);
            b.Property(c => c.Kind).HasMaxLength(4);
            b.HasIndex(c => c.UserId);
            b.HasOne<GroupMeeting>().WithMany().HasForeignKey(c => c.MeetingId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}
