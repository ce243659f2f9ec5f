using Attune.Data;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Account;

/// <summary>Confirms a new account's address, or a change of address (links from the pages and from the API alike).</summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(UserManager<AttuneUser> users, AuditLog audit) : PageModel
{
    public bool Succeeded { get; private set; }
    public bool WasChange { get; private set; }
    /// <summary>Where signing in goes next: an invitation the person came from, say; always a local address.</summary>
    public string SignInLink { get; private set; } = "/account/sign-in";
    public bool FromInvitation { get; private set; }

    public async Task OnGetAsync(string? userId, string? code, string? changedEmail, string? returnUrl)
    {
        if (SignInModel.IsLocal(returnUrl))
        {
            SignInLink = "/account/sign-in?ReturnUrl=" + Uri.EscapeDataString(returnUrl!);
            FromInvitation = returnUrl!.StartsWith("/circle/invitations/", StringComparison.Ordinal);
        }
        var token = AccountEmails.DecodeCode(code);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || token is null) return;
        WasChange = !string.IsNullOrEmpty(changedEmail);
        IdentityResult result;
        if (WasChange)
        {
            result = await users.ChangeEmailAsync(user, changedEmail!, token);
            if (result.Succeeded) result = await users.SetUserNameAsync(user, changedEmail);
        }
        else
        {
            result = await users.ConfirmEmailAsync(user, token);
        }
        Succeeded = result.Succeeded;
        if (Succeeded) await audit.RecordAsync(user.Id, WasChange ? AuditActions.EmailChanged : AuditActions.EmailConfirmed, "user", user.Id);
    }
}
