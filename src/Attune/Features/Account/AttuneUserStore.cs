using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Attune.Features.Account;

/// <summary>
/// Identity's EF store, plus two rules that must hold however a change is made (page, API or reset):
/// when how the person signs in changes (password, email, two-factor) every other session of the
/// person ends in the same transaction; authenticator keys and recovery codes
/// are stored sealed under the person's key, never as plain text; and a passkey is kept as its
/// public key, counter and flags, with the name the person gave it sealed, and without the
/// attestation and client data the device sent when it was made (nothing here needs them).
/// </summary>
public sealed class AttuneUserStore(AttuneDb db, IHttpContextAccessor http, Sessions sessions, IdentityErrorDescriber? describer = null)
    : UserStore<AttuneUser>(db, describer)
{
    private const string TokensTable = "user_tokens", PasskeysTable = "user_passkeys";

    public override async Task<IdentityResult> UpdateAsync(AttuneUser user, CancellationToken cancellationToken = default)
    {
        List<Guid> ended = [];
        if (ChangesHowThePersonSignsIn(user))
        {
            var current = http.HttpContext?.User;
            var keep = Infrastructure.Web.CurrentPerson.IdOf(current) == user.Id ? Sessions.IdOf(current) : null;
            ended = await sessions.MarkOthersEndedAsync(user.Id, keep, cancellationToken);
        }
        var result = await base.UpdateAsync(user, cancellationToken);
        if (result.Succeeded) foreach (var id in ended) sessions.Forget(id);
        return result;
    }

    /// <summary>
    /// A new password, a new email, two-factor turned on or off, or a new authenticator key while
    /// two-factor is on. (Identity also rotates the security stamp when it merely creates a first
    /// authenticator key for the setup page; that must not sign the person out of their phone.)
    /// </summary>
    private bool ChangesHowThePersonSignsIn(AttuneUser user)
    {
        var entry = db.Entry(user);
        if (entry.State == Microsoft.EntityFrameworkCore.EntityState.Detached) return false;
        bool Changed<T>(System.Linq.Expressions.Expression<Func<AttuneUser, T>> property) =>
            !Equals(entry.Property(property).OriginalValue, entry.Property(property).CurrentValue);
        if (Changed(u => u.PasswordHash) || Changed(u => u.NormalizedEmail) || Changed(u => u.NormalizedUserName) || Changed(u => u.TwoFactorEnabled))
            return true;
        return user.TwoFactorEnabled && db.ChangeTracker.Entries<IdentityUserToken<string>>().Any(t =>
            t.Entity.UserId == user.Id && t.Entity.Name == "AuthenticatorKey"
            && t.State is Microsoft.EntityFrameworkCore.EntityState.Added or Microsoft.EntityFrameworkCore.EntityState.Modified or Microsoft.EntityFrameworkCore.EntityState.Deleted);
    }

    public override async Task SetTokenAsync(AttuneUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await base.SetTokenAsync(user, loginProvider, name, null, cancellationToken);
            return;
        }
        var sealedValue = await db.SealAsync(user.Id, TokensTable, loginProvider, name, value, cancellationToken);
        await base.SetTokenAsync(user, loginProvider, name, Convert.ToBase64String(SealedBytes(sealedValue)), cancellationToken);
    }

    public override async Task<string?> GetTokenAsync(AttuneUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        var stored = await base.GetTokenAsync(user, loginProvider, name, cancellationToken);
        if (stored is null) return null;
        return await db.OpenAsync(user.Id, TokensTable, loginProvider, name, FromBytes(Convert.FromBase64String(stored)), cancellationToken);
    }

    public override async Task AddOrUpdatePasskeyAsync(AttuneUser user, UserPasskeyInfo passkey, CancellationToken cancellationToken = default)
    {
        var name = passkey.Name is null ? null
            : Convert.ToBase64String(SealedBytes(await db.SealAsync(user.Id, PasskeysTable, Passkeys.IdOf(passkey.CredentialId), "name", passkey.Name, cancellationToken)));
        var kept = new UserPasskeyInfo(passkey.CredentialId, passkey.PublicKey, passkey.CreatedAt, passkey.SignCount, passkey.Transports,
            passkey.IsUserVerified, passkey.IsBackupEligible, passkey.IsBackedUp, attestationObject: [], clientDataJson: [])
        { Name = name };
        await base.AddOrUpdatePasskeyAsync(user, kept, cancellationToken);
    }

    public override async Task<UserPasskeyInfo?> FindPasskeyAsync(AttuneUser user, byte[] credentialId, CancellationToken cancellationToken = default)
    {
        var passkey = await base.FindPasskeyAsync(user, credentialId, cancellationToken);
        if (passkey is not null) await OpenNameAsync(user, passkey, cancellationToken);
        return passkey;
    }

    public override async Task<IList<UserPasskeyInfo>> GetPasskeysAsync(AttuneUser user, CancellationToken cancellationToken = default)
    {
        var passkeys = await base.GetPasskeysAsync(user, cancellationToken);
        foreach (var passkey in passkeys) await OpenNameAsync(user, passkey, cancellationToken);
        return passkeys;
    }

    private async Task OpenNameAsync(AttuneUser user, UserPasskeyInfo passkey, CancellationToken ct)
    {
        if (passkey.Name is null) return;
        passkey.Name = await db.OpenAsync(user.Id, PasskeysTable, Passkeys.IdOf(passkey.CredentialId), "name", FromBytes(Convert.FromBase64String(passkey.Name)), ct);
    }

    private static byte[] SealedBytes(Sealed s) => new Sealed.Converter().ConvertToProviderTyped(s);

    private static Sealed FromBytes(byte[] b) => new Sealed.Converter().ConvertFromProviderTyped(b);
}
