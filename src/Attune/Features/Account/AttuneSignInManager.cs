using Attune.Data;
using System.Security.Claims;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Attune.Features.Account;

/// <summary>
/// Identity's sign-in manager, plus: every sign-in starts a session row and stamps its id into
/// the cookie or token; a refreshed principal keeps its session id (and its row: no second one);
/// the session row (not the security stamp) decides whether a principal is still good; every
/// attempt is audited; wrong passwords pause an address per client (<see cref="SignInGuard"/>),
/// not per account, so nobody can keep a person out; and an unknown email costs the same hashing
/// time and gets the same answers, pause included, as a wrong password.
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
    private const string CarriedSession = "attune:carried-sid", Refreshing = "attune:refreshing";
    private static readonly AttuneUser TimingUser = new() { Id = "timing" };
    private static readonly Lazy<string> TimingHash = new(() => new PasswordHasher<AttuneUser>(
        Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = PasswordPolicy.HashIterations })).HashPassword(TimingUser, "not a real password at all"));

    private Sessions SessionStore => Context.RequestServices.GetRequiredService<Sessions>();
    private AuditLog Audit => Context.RequestServices.GetRequiredService<AuditLog>();
    private SignInGuard Guard => Context.RequestServices.GetRequiredService<SignInGuard>();

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var paused = await Guard.IsPausedAsync(userName);
        var user = await UserManager.FindByEmailAsync(userName);
        if (user is null || paused)
        {
            // Same work, same answer, as a wrong password (or a pause) for a real account.
            UserManager.PasswordHasher.VerifyHashedPassword(TimingUser, TimingHash.Value, password);
            var result = paused || await Guard.FailedAsync(userName) ? SignInResult.LockedOut : SignInResult.Failed;
            await AuditResultAsync(user?.Id, AuditActions.SignIn, result);
            return result;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> PasswordSignInAsync(AttuneUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        // Identity's own lockout is per account: anyone who knows the address could keep it locked.
        // Passwords are counted per address and client instead; Identity's still counts second-step codes.
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: false);
        // Identity checks "may sign in" before the password: without this, a wrong password for an
        // unconfirmed account would answer differently from one for no account at all.
        if (result.IsNotAllowed && !await UserManager.CheckPasswordAsync(user, password)) result = SignInResult.Failed;
        if (result.Succeeded || result.RequiresTwoFactor || result.IsNotAllowed) await Guard.SucceededAsync(user.Email ?? user.Id);
        else if (!result.IsLockedOut && await Guard.FailedAsync(user.Email ?? user.Id)) result = SignInResult.LockedOut;
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

    public override Task<SignInResult> PasskeySignInAsync(string credentialJson) => PasskeySignInAsync(credentialJson, isPersistent: false);

    /// <summary>
    /// Signing in with a passkey: the same rules as a password (a confirmed email, Identity's
    /// lockout, a session row, an audit entry), and it counts as both steps of two-step sign-in,
    /// because the device checked the person (screen lock) and the passkey answers only to
    /// Attune's own address, so it can't be phished or replayed.
    /// </summary>
    public async Task<SignInResult> PasskeySignInAsync(string credentialJson, bool isPersistent)
    {
        PasskeyAssertionResult<AttuneUser>? assertion;
        try
        {
            assertion = await PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (InvalidOperationException)
        {
            // No passkey request is under way for this browser (none asked for, or already used).
            assertion = null;
        }
        if (assertion is not { Succeeded: true })
        {
            await Audit.RecordAsync(null, AuditActions.SignInPasskey, "user", null, success: false);
            return SignInResult.Failed;
        }
        var user = assertion.User;
        if (await PreSignInCheck(user) is { } refused)
        {
            await AuditResultAsync(user.Id, AuditActions.SignInPasskey, refused);
            return refused;
        }
        // The new counter and flags are kept, so a cloned authenticator shows itself.
        if (!(await UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey)).Succeeded)
        {
            await AuditResultAsync(user.Id, AuditActions.SignInPasskey, SignInResult.Failed);
            return SignInResult.Failed;
        }
        await Guard.SucceededAsync(user.Email ?? user.Id);
        await SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = isPersistent }, [new Claim("amr", "hwk"), new Claim("amr", "mfa")]);
        await AuditResultAsync(user.Id, AuditActions.SignInPasskey, SignInResult.Success);
        return SignInResult.Success;
    }

    /// <summary>A new cookie for the same sign-in (after a change of password or two-step sign-in): it stays the same session.</summary>
    public override async Task RefreshSignInAsync(AttuneUser user)
    {
        Context.Items[Refreshing] = true;
        try { await base.RefreshSignInAsync(user); }
        finally { Context.Items.Remove(Refreshing); }
    }

    public override async Task SignInWithClaimsAsync(AttuneUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.ToList();
        if (Context.Items.ContainsKey(Refreshing) && !claims.Any(c => c.Type == Sessions.ClaimType)
            && Infrastructure.Web.CurrentPerson.IdOf(Context.User) == user.Id && Context.User.FindFirstValue(Sessions.ClaimType) is { } current)
            claims.Add(new Claim(Sessions.ClaimType, current));
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
        if (sid is null && Infrastructure.Web.CurrentPerson.IdOf(Context.User) == user.Id)
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
        var userId = Infrastructure.Web.CurrentPerson.IdOf(Context.User);
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
