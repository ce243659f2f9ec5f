using Attune.Features.Account;
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

public sealed record ReachInput(string? Message, string? Urgency, List<Guid>? To, int? EscalateAfterMinutes);

public sealed record ResponseInput(string? Kind, int? Minutes, string? Message);

/// <summary>Per person: <c>status</c> is delivered, seen or answered; <c>threadId</c> is the conversation "I'm here" opened.</summary>
public sealed record ReachRecipientDto(string UserId, string Name, string Status, int Wave, DateTimeOffset DeliveredAt, DateTimeOffset? SeenAt,
    DateTimeOffset? RespondedAt, string? Response, int? Minutes, string? Message, Guid? ThreadId = null);

public sealed record ReachDto(Guid Id, string Role, string From, string Urgency, string? Message, int EscalateAfterMinutes, DateTimeOffset CreatedAt,
    bool Exhausted, IReadOnlyList<ReachRecipientDto> Recipients);
