using Attune.Data;
using System.ComponentModel.DataAnnotations;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Attune.Infrastructure.Web;

namespace Attune.Features.Account;

[RateLimited(RateLimits.Email, Handler = "email")]
public sealed class SecurityModel(UserManager<AttuneUser> users, SignInManager<AttuneUser> signIn, AccountEmails emails, AuditLog audit, SignInGuard guard) : SignedInPageModel
{
    public bool TwoFactorEnabled { get; private set; }
    public string Email { get; private set; } = "";

    [BindProperty] public PasswordInput Password { get; set; } = new();
    [BindProperty] public EmailInput EmailChange { get; set; } = new();

    public sealed class PasswordInput
    {
        [Display(Name = "Current password")] public string? Current { get; set; }
        [Display(Name = "New password")] public string? New { get; set; }
    }

    public sealed class EmailInput
    {
        [Display(Name = "New email")] public string? NewEmail { get; set; }
        [Display(Name = "Current password")] public string? Password { get; set; }
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Load(user);
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Load(user);
        ModelState.Clear();
        if (string.IsNullOrEmpty(Password.Current) || string.IsNullOrEmpty(Password.New))
        {
            ModelState.AddModelError("Password.New", "Please enter your current password and a new one.");
            return Page();
        }
        // The current password is checked (and counted toward the pause) before anything changes.
        var check = await guard.CheckPasswordAsync(users, user, Password.Current, HttpContext.RequestAborted);
        if (check != PasswordCheck.Right)
        {
            ModelState.AddModelError("Password.Current", check == PasswordCheck.Paused ? SignInGuard.PausedMessage : "Your current password doesn't match.");
            return Page();
        }
        var result = await users.ChangePasswordAsync(user, Password.Current, Password.New);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code == "PasswordMismatch" ? "Password.Current" : "Password.New",
                    e.Code == "PasswordMismatch" ? "Your current password doesn't match." : e.Description);
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        await audit.RecordAsync(user.Id, AuditActions.PasswordChanged, "user", user.Id);
        TempData["Status"] = "Your password is changed. You've been signed out everywhere else.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEmailAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Load(user);
        ModelState.Clear();
        var newEmail = EmailChange.NewEmail?.Trim();
        if (string.IsNullOrEmpty(newEmail) || !new EmailAddressAttribute().IsValid(newEmail))
            ModelState.AddModelError("EmailChange.NewEmail", "Please enter the new email address.");
        if (ModelState.ErrorCount > 0) return Page();
        var check = await guard.CheckPasswordAsync(users, user, EmailChange.Password, HttpContext.RequestAborted);
        if (check != PasswordCheck.Right)
        {
            ModelState.AddModelError("EmailChange.Password", check == PasswordCheck.Paused ? SignInGuard.PausedMessage : "Your current password doesn't match.");
            return Page();
        }
        if (await users.FindByEmailAsync(newEmail!) is null)
        {
            var code = AccountEmails.EncodeCode(await users.GenerateChangeEmailTokenAsync(user, newEmail!));
            var link = $"{emails.BaseUrl}/account/confirm-email?userId={Uri.EscapeDataString(user.Id)}&code={code}&changedEmail={Uri.EscapeDataString(newEmail!)}";
            await emails.SendConfirmationAsync(newEmail!, link, isChange: true);
        }
        TempData["Status"] = "We've sent a link to the new address. Your email changes when you open it.";
        return RedirectToPage();
    }

    private void Load(AttuneUser user)
    {
        TwoFactorEnabled = user.TwoFactorEnabled;
        Email = user.Email ?? "";
    }

}
