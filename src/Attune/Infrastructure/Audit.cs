using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Infrastructure;

/// <summary>
/// A security event: who did what to which object, and how it went. Ids and codes only —
/// never an email address, a name or anything a person wrote.
/// </summary>
public sealed class AuditEvent
{
    public Guid Id { get; set; }
    public DateTime At { get; set; }
    public string? ActorId { get; set; }
    public string Action { get; set; } = "";
    public string? ObjectType { get; set; }
    public string? ObjectId { get; set; }
    public string Outcome { get; set; } = "success";

    internal sealed class Config : IEntityTypeConfiguration<AuditEvent>
    {
        public void Configure(EntityTypeBuilder<AuditEvent> b)
        {
            b.ToTable("AuditEvents");
            b.HasKey(e => e.Id);
            b.Property(e => e.ActorId).HasMaxLength(64);
            b.Property(e => e.Action).HasMaxLength(64);
            b.Property(e => e.ObjectType).HasMaxLength(32);
            b.Property(e => e.ObjectId).HasMaxLength(64);
            b.Property(e => e.Outcome).HasMaxLength(16);
            b.HasIndex(e => new { e.ActorId, e.At });
            b.HasIndex(e => e.ObjectId);
        }
    }
}

public static class AuditActions
{
    public const string Registered = "account.registered";
    public const string EmailConfirmed = "account.email_confirmed";
    public const string SignIn = "signin";
    public const string SignInTwoFactor = "signin.two_factor";
    public const string SignInPasskey = "signin.passkey";
    public const string PasskeyAdded = "passkey.added";
    public const string PasskeyRemoved = "passkey.removed";
    public const string LockedOut = "signin.locked_out";
    public const string SignOut = "signout";
    public const string PasswordChanged = "account.password_changed";
    public const string PasswordReset = "account.password_reset";
    public const string EmailChanged = "account.email_changed";
    public const string TwoFactorEnabled = "two_factor.enabled";
    public const string TwoFactorDisabled = "two_factor.disabled";
    public const string RecoveryCodesRenewed = "two_factor.recovery_codes_renewed";
    public const string TwoFactorChanged = "two_factor.changed";
    public const string SessionEnded = "session.ended";
    public const string Exported = "data.exported";
    public const string Deleted = "account.deleted";
}

public sealed class AuditLog(AttuneDb db, TimeProvider clock)
{
    public async Task RecordAsync(string? actorId, string action, string? objectType = null, string? objectId = null, bool success = true, CancellationToken ct = default) =>
        await RecordAsync(actorId, action, objectType, objectId, success ? "success" : "failure", ct);

    public async Task RecordAsync(string? actorId, string action, string? objectType, string? objectId, string outcome, CancellationToken ct = default)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            Id = Infrastructure.SequentialGuid.Next(),
            At = clock.GetUtcNow().UtcDateTime,
            ActorId = actorId,
            Action = action,
            ObjectType = objectType,
            ObjectId = objectId,
            Outcome = outcome,
        });
        await db.SaveChangesAsync(ct);
    }

    public IQueryable<AuditEvent> About(string userId) =>
        db.AuditEvents.AsNoTracking().Where(e => e.ActorId == userId || e.ObjectId == userId);
}
