using Attune.Features.Account;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Circle;

/// <summary>
/// An invitation to someone's circle: a single-use link that expires after 7 days. Only a hash of
/// the link's token is stored. Who was invited (email) and what the person calls them are sealed
/// under the inviting person's key.
/// </summary>
public sealed class CircleInvitation
{
    public const string Table = "circle_invitations";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public Sealed Email { get; set; } = null!;
    public Sealed Name { get; set; } = null!;
    public bool CanReceiveReaches { get; set; }
    public bool CanSeeShared { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CircleInvitation>
    {
        public void Configure(EntityTypeBuilder<CircleInvitation> b)
        {
            b.ToTable("CircleInvitations");
            b.HasKey(i => i.Id);
            b.Property(i => i.TokenHash).HasMaxLength(64);
            b.HasIndex(i => i.TokenHash).IsUnique();
            b.HasIndex(i => i.OwnerId);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(i => i.OwnerId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

/// <summary>
/// One supporter in one person's circle. The person (owner) sets what the supporter may do and
/// their order for escalation; the supporter sets when they are available, in their own time zone.
/// Ending it, from either side, deletes the row: access ends with it.
/// </summary>
public sealed class CircleMember
{
    public const string Table = "circle_members";

    public Guid Id { get; set; }
    public string OwnerId { get; set; } = "";
    public string SupporterId { get; set; } = "";
    /// <summary>What the owner calls this supporter, sealed under the owner's key.</summary>
    public Sealed Name { get; set; } = null!;
    public bool CanReceiveReaches { get; set; }
    public bool CanSeeShared { get; set; }
    public int Order { get; set; }
    /// <summary>Set by the supporter: the hours they can be reached, minutes after midnight in their own time zone (null: any time).</summary>
    public int? AvailableFrom { get; set; }
    public int? AvailableTo { get; set; }
    /// <summary>Set by the supporter: "talk now" may reach them outside their hours.</summary>
    public bool TalkNowAnytime { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>
    /// The relationship's pair key: one random key, sealed once under the owner's data key and once
    /// under the supporter's. Conversations and witness reflections between the two are sealed
    /// under it; deleting this row (either side ending it, or either account going) leaves no key
    /// that opens them. Made on first use.
    /// </summary>
    public Sealed? PairKeyOwner { get; set; }
    public Sealed? PairKeySupporter { get; set; }

    internal sealed class Config : IEntityTypeConfiguration<CircleMember>
    {
        public void Configure(EntityTypeBuilder<CircleMember> b)
        {
            b.ToTable("CircleMembers");
            b.HasKey(m => m.Id);
            b.HasIndex(m => new { m.OwnerId, m.SupporterId }).IsUnique();
            b.HasIndex(m => m.SupporterId);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(m => m.OwnerId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<AttuneUser>().WithMany().HasForeignKey(m => m.SupporterId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

public sealed record InvitationInput(string? Email, string? Name, bool? CanReceiveReaches, bool? CanSeeShared);

public sealed record InvitationDto(Guid Id, string Email, string Name, bool CanReceiveReaches, bool CanSeeShared, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public sealed record Availability(string? From, string? To, string TimeZone, bool TalkNowAnytime);

/// <summary>
/// One relationship as one side sees it. <c>role</c> is <c>supporter</c> (they support me) or
/// <c>supporting</c> (I support them). <c>name</c> is what I call them.
/// </summary>
public sealed record MemberDto(Guid MemberId, string Role, string UserId, string Name, bool CanReceiveReaches, bool CanSeeShared, int Order,
    Availability Availability, DateTimeOffset Since);

public sealed record CircleDto(IReadOnlyList<MemberDto> Supporters, IReadOnlyList<MemberDto> Supporting, IReadOnlyList<InvitationDto> Invitations);

/// <summary>A change to a relationship. The owner may change the first four; the supporter the last three.</summary>
public sealed record MemberPatch(string? Name, bool? CanReceiveReaches, bool? CanSeeShared, int? Order, string? AvailableFrom, string? AvailableTo, bool? TalkNowAnytime);

public enum AcceptOutcome { Accepted, NotFound, Expired, Used, WrongAccount, OwnInvitation }

/// <summary>What the accept page shows before the invited person says yes.</summary>
public sealed record InvitationPreview(AcceptOutcome Status, string? InviterName, bool CanReceiveReaches, bool CanSeeShared, DateTimeOffset? ExpiresAt);

/// <summary>For the one-tap reach: how many people in my circle may receive a reach at all.</summary>
