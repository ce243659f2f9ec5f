using Attune.Data;
using System.ComponentModel.DataAnnotations;
using System.Text;
using Attune.Infrastructure.Web;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace Attune.Features.Account;

/// <summary>
/// Two-step sign-in. Turning it on, making new recovery codes and turning it off each need the
/// current password (counted toward the pause like a sign-in): a session alone must not be
/// enough to take over or weaken how the person signs in.
/// </summary>
public sealed class TwoFactorModel(UserManager<AttuneUser> users, SignInManager<AttuneUser> signIn, AuditLog audit, SignInGuard guard) : SignedInPageModel
{
    public bool Enabled { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string FormattedKey { get; private set; } = "";
    public string QrDataUri { get; private set; } = "";

    [TempData] public string? NewCodes { get; set; }
    public string[]? RecoveryCodes { get; private set; }

    [BindProperty, Display(Name = "Code")] public string? Code { get; set; }
    [BindProperty, Display(Name = "Current password")] public string? Password { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        RecoveryCodes = NewCodes?.Split(' ');
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!await PasswordRightAsync(user)) return await PageAgainAsync(user);
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "That code didn't match. Check the app shows Attune, and try the newest code.");
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        await signIn.RefreshSignInAsync(user);
        await audit.RecordAsync(user.Id, AuditActions.TwoFactorEnabled, "user", user.Id);
        NewCodes = string.Join(' ', codes!);
        TempData["Status"] = "Two-step sign-in is on. You've been signed out everywhere else.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostNewCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!user.TwoFactorEnabled) return RedirectToPage();
        if (!await PasswordRightAsync(user)) return await PageAgainAsync(user);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        await audit.RecordAsync(user.Id, AuditActions.RecoveryCodesRenewed, "user", user.Id);
        NewCodes = string.Join(' ', codes!);
        TempData["Status"] = "Here are your new recovery codes. The old ones no longer work.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!await PasswordRightAsync(user)) return await PageAgainAsync(user);
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        await audit.RecordAsync(user.Id, AuditActions.TwoFactorDisabled, "user", user.Id);
        TempData["Status"] = "Two-step sign-in is off. You've been signed out everywhere else.";
        return RedirectToPage();
    }

    private async Task<bool> PasswordRightAsync(AttuneUser user)
    {
        var check = await guard.CheckPasswordAsync(users, user, Password, HttpContext.RequestAborted);
        if (check == PasswordCheck.Right) return true;
        ModelState.AddModelError(nameof(Password), check == PasswordCheck.Paused ? SignInGuard.PausedMessage : "Your current password doesn't match.");
        return false;
    }

    private async Task<IActionResult> PageAgainAsync(AttuneUser user)
    {
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(AttuneUser user)
    {
        Enabled = user.TwoFactorEnabled;
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        FormattedKey = Format(key!);
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Attune:" + user.Email)}?secret={key}&issuer=Attune&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    private static string Format(string key)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4) sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        return sb.ToString().TrimEnd().ToLowerInvariant();
    }
}
