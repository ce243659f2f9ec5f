using Attune.Data;
using System.ComponentModel.DataAnnotations;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Attune.Infrastructure.Web;

namespace Attune.Features.Account;

[AllowAnonymous, RateLimited(RateLimits.Auth)]
public sealed class ResetPasswordModel(UserManager<AttuneUser> users, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Please choose a new password.")]
    [Display(Name = "New password")]
    public string Password { get; set; } = "";

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        var token = AccountEmails.DecodeCode(Code);
        if (user is null || token is null)
        {
            ModelState.AddModelError("", "This reset link didn't work. It may have expired; please ask for a new one.");
            return Page();
        }
        var result = await users.ResetPasswordAsync(user, token, Password);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(Password) : "",
                    e.Code == "InvalidToken" ? "This reset link didn't work. It may have expired; please ask for a new one." : e.Description);
            return Page();
        }
        await audit.RecordAsync(user.Id, AuditActions.PasswordReset, "user", user.Id);
        TempData["Status"] = "Your password is changed. Please sign in with the new one.";
        return RedirectToPage("/Account/SignIn");
    }
}
