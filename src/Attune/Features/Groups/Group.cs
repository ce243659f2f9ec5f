using System.Linq.Expressions;
using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>
/// A facilitated group and its cycle. What is here is the facilitator's public offering (the
/// directory searches it), so it is not sealed; everything members write is sealed under the
/// group's shared key (key id = <see cref="Id"/>).
/// </summary>
public sealed class Group
{
    public const string Table = "groups";

    public Guid Id { get; set; }
    public string FacilitatorId { get; set; } = "";
    /// <summary>The name members see for the facilitator (never their email).</summary>
    public string FacilitatorName { get; set; } = "";
    public string Title { get; set; } = "";
    public string ForWhom { get; set; } = "";
    public string Description { get; set; } = "";
    public string Focus { get; set; } = "";
    /// <summary>The journey part this group suits, "part N and on" (1–4), or null for any.</summary>
    public int? Part { get; set; }
    public string Language { get; set; } = "en";
    public int Capacity { get; set; }
    /// <summary>The facilitator's time zone; meetings are set in it and shown in each member's own.</summary>
    public string TimeZone { get; set; } = "";
    public int MeetingMinutes { get; set; }
    /// <summary>"apply" or "invite".</summary>
    public string Join { get; set; } = "apply";
    public bool Listed { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public bool HiddenByAdmin { get; set; }
    /// <summary>Application questions, a JSON array of strings.</summary>
    public string Questions { get; set; } = "[]";
    /// <summary>The agreements members accept, a JSON array of strings.</summary>
    public string Agreements { get; set; } = "[]";
    /// <summary>"meeting" (room text goes when the meeting closes) or "days30" (kept 30 days for the board).</summary>
    public string Retention { get; set; } = "meeting";
    /// <summary>SHA-256 (hex) of the current invitation link's token; the token itself is never stored.</summary>
    public string? InviteTokenHash { get; set; }
    public Guid? FollowsGroupId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClosedAt { get; set; }

    public static Expression<Func<Group, bool>> FacilitatedBy(string userId) => g => g.FacilitatorId == userId;

    internal sealed class Config : IEntityTypeConfiguration<Group>
    {
        public void Configure(EntityTypeBuilder<Group> b)
        {
            b.ToTable("Groups");
            b.HasKey(g => g.Id);
            b.Property(g => g.FacilitatorId).HasMaxLength(64);
            b.Property(g => g.FacilitatorName).HasMaxLength(80);
            b.Property(g => g.Title).HasMaxLength(120);
            b.Property(g => g.ForWhom).HasMaxLength(300);
            b.Property(g => g.Description).HasMaxLength(4000);
            b.Property(g => g.Focus).HasMaxLength(200);
            b.Property(g => g.Language).HasMaxLength(8);
            b.Property(g => g.TimeZone).HasMaxLength(64);
            b.Property(g => g.Join).HasMaxLength(8);
            b.Property(g => g.ApprovedBy).HasMaxLength(64);
            b.Property(g => g.Retention).HasMaxLength(8);
            b.Property(g => g.InviteTokenHash).HasMaxLength(64);
            b.HasIndex(g => new { g.Listed, g.HiddenByAdmin, g.ClosedAt });
            b.HasIndex(g => g.FacilitatorId);
            b.HasIndex(g => g.InviteTokenHash).IsUnique();
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(g => g.FacilitatorId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Group>().WithMany().HasForeignKey(g => g.FollowsGroupId).OnDelete(DeleteBehavior.SetNull);
        }
    }
}
