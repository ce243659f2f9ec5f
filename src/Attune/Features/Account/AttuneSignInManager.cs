using System.Security.Claims;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Attune.Features.Account;

/// <summary>
/// Identity's sign-in manager, plus: every sign-in starts a session row and stamps its id into
/// the cookie or token; a refreshed principal keeps its session id; the session row (not the
/// security stamp) decides whether a principal is still good; every attempt is audited; and an
/// unknown email costs the same hashing time as a wrong password.
/// </summary>
public sealed class AttuneSignInManager(
    UserManager<AttuneUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AttuneUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AttuneUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AttuneUser> confirmation)
    : SignInManager<AttuneUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private const string CarriedSession = "attune:carried-sid";
    private static readonly AttuneUser TimingUser = new() { Id = "timing" };
    private static readonly Lazy<string> TimingHash = new(() => new PasswordHasher<AttuneUser>(
        Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = PasswordPolicy.HashIterations })).HashPassword(TimingUser, "not a real password at all"));

    private Sessions SessionStore => Context.RequestServices.GetRequiredService<Sessions>();
    private AuditLog Audit => Context.RequestServices.GetRequiredService<AuditLog>();

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByEmailAsync(userName);
        if (user is null)
        {
            // Same work, same answer, as a wrong password for a real account.
            UserManager.PasswordHasher.VerifyHashedPassword(TimingUser, TimingHash.Value, password);
            await Audit.RecordAsync(null, AuditActions.SignIn, "user", null, success: false);
            return SignInResult.Failed;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> PasswordSignInAsync(AttuneUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        // Identity checks "may sign in" before the password: without this, a wrong password for an
        // unconfirmed account would answer differently from one for no account at all.
        if (result.IsNotAllowed && !await UserManager.CheckPasswordAsync(user, password)) result = SignInResult.Failed;
        await AuditResultAsync(user.Id, AuditActions.SignIn, result);
        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        await AuditResultAsync(user?.Id, AuditActions.SignInTwoFactor, result);
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        await AuditResultAsync(user?.Id, AuditActions.SignInTwoFactor, result);
        return result;
    }

    public override async Task SignInWithClaimsAsync(AttuneUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.ToList();
        if (!claims.Any(c => c.Type == Sessions.ClaimType))
        {
            var kind = AuthenticationScheme == IdentityConstants.BearerScheme ? "api" : "web";
            var session = await SessionStore.StartAsync(user.Id, kind, Context.Request.Headers.UserAgent);
            claims.Add(new Claim(Sessions.ClaimType, session.Id.ToString()));
        }
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    public override async Task<ClaimsPrincipal> CreateUserPrincipalAsync(AttuneUser user)
    {
        var principal = await base.CreateUserPrincipalAsync(user);
        // A principal rebuilt for a cookie refresh or a token refresh stays the same session.
        var sid = Context.Items[CarriedSession] as string;
        if (sid is null && Context.User.FindFirstValue(ClaimTypes.NameIdentifier) == user.Id)
            sid = Context.User.FindFirstValue(Sessions.ClaimType);
        if (sid is not null) ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(Sessions.ClaimType, sid));
        return principal;
    }

    public override async Task<AttuneUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        if (principal is null) return null;
        var user = await UserManager.GetUserAsync(principal);
        var sid = Sessions.IdOf(principal);
        if (user is null || sid is null || !await SessionStore.IsActiveAsync(sid.Value, user.Id)) return null;
        Context.Items[CarriedSession] = sid.Value.ToString();
        return user;
    }

    public override async Task SignOutAsync()
    {
        var userId = UserManager.GetUserId(Context.User);
        var sid = Sessions.IdOf(Context.User);
        if (userId is not null && sid is not null)
        {
            await SessionStore.EndAsync(userId, sid.Value);
            await Audit.RecordAsync(userId, AuditActions.SignOut, "session", sid.ToString());
        }
        await base.SignOutAsync();
    }

    private async Task AuditResultAsync(string? userId, string action, SignInResult result)
    {
        if (result.IsLockedOut) await Audit.RecordAsync(userId, AuditActions.LockedOut, "user", userId, "blocked");
        else if (result.RequiresTwoFactor) await Audit.RecordAsync(userId, action, "user", userId, "needs_2fa");
        else await Audit.RecordAsync(userId, action, "user", userId, result.Succeeded);
    }

}
