using Attune.Infrastructure.Web;
using Attune.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Privacy;

public sealed class SecurityLogPageModel(AuditLog audit) : SignedInPageModel
{
    public List<AuditEvent> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Events = await audit.About(UserId).OrderByDescending(e => e.Id).Take(200).ToListAsync(ct);

    public static string Describe(string action) => action switch
    {
        AuditActions.Registered => "Account created",
        AuditActions.EmailConfirmed => "Email confirmed",
        AuditActions.SignIn => "Sign-in with password",
        AuditActions.SignInTwoFactor => "Two-step sign-in code",
        AuditActions.SignInPasskey => "Sign-in with a passkey",
        AuditActions.PasskeyAdded => "Passkey added",
        AuditActions.PasskeyRemoved => "Passkey removed",
        AuditActions.LockedOut => "Sign-in paused after several tries",
        AuditActions.SignOut => "Signed out",
        AuditActions.PasswordChanged => "Password changed",
        AuditActions.PasswordReset => "Password reset by email",
        AuditActions.EmailChanged => "Email changed",
        AuditActions.TwoFactorEnabled => "Two-step sign-in turned on",
        AuditActions.TwoFactorDisabled => "Two-step sign-in turned off",
        AuditActions.TwoFactorChanged => "Two-step sign-in settings changed",
        AuditActions.RecoveryCodesRenewed => "New recovery codes made",
        AuditActions.SessionEnded => "A device was signed out",
        AuditActions.Exported => "Your data was downloaded",
        _ => action,
    };
}
