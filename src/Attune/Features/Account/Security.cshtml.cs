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
    public List<PasskeyRow> PasskeyList { get; private set; } = [];

    public sealed record PasskeyRow(string Id, string Name, DateTime CreatedAt);

    [BindProperty] public PasskeyInput NewPasskey { get; set; } = new();

    public sealed class PasskeyInput
    {
        [Display(Name = "Name this passkey")] public string? Name { get; set; }
        /// <summary>The device's answer, as JSON, put here by the page's script.</summary>
        public string? Credential { get; set; }
    }

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
        await LoadAsync(user);
        return Page();
    }

    /// <summary>What the browser needs to make a passkey for this person (the page's script asks, with the antiforgery token).</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var email = user.Email ?? user.Id;
        var displayName = await Me.DisplayNameAsync(HttpContext.RequestAborted);
        // The device shows these when it offers the passkey: the email, and the name the person goes by here.
        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = email, DisplayName = displayName.Length > 0 ? displayName : email });
        return Content(options, "application/json");
    }

    public async Task<IActionResult> OnPostAddPasskeyAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        ModelState.Clear();
        var name = NewPasskey.Name?.Trim();
        var errors = Passkeys.CheckName("NewPasskey.Name", name);
        if (!Passkeys.LooksLikeCredential(NewPasskey.Credential)) errors.Add("NewPasskey.Credential", Passkeys.DeviceDidNotMake);
        if (!errors.Any && (await users.GetPasskeysAsync(user)).Count >= Passkeys.MaxPerPerson)
            errors.Add("NewPasskey.Name", $"You have {Passkeys.MaxPerPerson} passkeys, the most you can keep. Please remove one you no longer use first.");
        if (errors.Any) return await BadInputAsync(user, errors);

        PasskeyAttestationResult? made;
        try
        {
            made = await signIn.PerformPasskeyAttestationAsync(NewPasskey.Credential!);
        }
        catch (InvalidOperationException)
        {
            // No passkey was asked for in this browser (or that request was already used).
            made = null;
        }
        // The passkey must be for this person: the request was made for them, in their own session.
        if (made is not { Succeeded: true } || made.UserEntity.Id != user.Id)
            return await BadInputAsync(user, new FieldErrors().Add("NewPasskey.Credential", Passkeys.DeviceDidNotMake));
        made.Passkey.Name = name;
        var saved = await users.AddOrUpdatePasskeyAsync(user, made.Passkey);
        if (!saved.Succeeded) return await BadInputAsync(user, new FieldErrors().Add("NewPasskey.Credential", Passkeys.DeviceDidNotMake));
        await audit.RecordAsync(user.Id, AuditActions.PasskeyAdded, "passkey", Passkeys.AuditRef(made.Passkey.CredentialId));
        TempData["Status"] = "Your passkey is added. Next time, you can sign in with it instead of typing your password.";
        return RedirectToPage();
    }

    /// <summary>Removes one of the person's passkeys. Someone else's passkey is not found. Their password still works, so this never locks anyone out.</summary>
    public async Task<IActionResult> OnPostRemovePasskeyAsync(string? id)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (Passkeys.ParseId(id) is not { } credentialId)
            return new FieldErrors().Add("id", "That isn't a passkey we know.").ToPageProblem();
        var passkey = await users.GetPasskeyAsync(user, credentialId);
        if (passkey is null) return NotFound();
        var removed = await users.RemovePasskeyAsync(user, credentialId);
        if (!removed.Succeeded) return NotFound();
        await audit.RecordAsync(user.Id, AuditActions.PasskeyRemoved, "passkey", Passkeys.AuditRef(credentialId));
        TempData["Status"] = "That passkey is removed. It can't be used to sign in here any more.";
        return RedirectToPage();
    }

    private async Task<IActionResult> BadInputAsync(AttuneUser user, FieldErrors errors)
    {
        Show(errors);
        await LoadAsync(user);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await LoadAsync(user);
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
        await LoadAsync(user);
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

    private async Task LoadAsync(AttuneUser user)
    {
        TwoFactorEnabled = user.TwoFactorEnabled;
        Email = user.Email ?? "";
        PasskeyList = (await users.GetPasskeysAsync(user))
            .OrderBy(p => p.CreatedAt)
            .Select(p => new PasskeyRow(Passkeys.IdOf(p.CredentialId), p.Name ?? "A passkey", p.CreatedAt.UtcDateTime))
            .ToList();
    }

}
