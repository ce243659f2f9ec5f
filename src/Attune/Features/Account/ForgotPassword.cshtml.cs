using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Account;

[AllowAnonymous]
public sealed class ForgotPasswordModel(UserManager<AttuneUser> users, AccountEmails emails) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Please enter your email address.")]
    [EmailAddress(ErrorMessage = "That doesn't look like an email address.")]
    public string Email { get; set; } = "";

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is { EmailConfirmed: true })
        {
            var code = AccountEmails.EncodeCode(await users.GeneratePasswordResetTokenAsync(user));
            await emails.SendPasswordResetLinkAsync(user, user.Email!, $"{emails.BaseUrl}/account/reset-password?userId={Uri.EscapeDataString(user.Id)}&code={code}");
        }
        // The same answer whether or not the address has an account.
        TempData["Status"] = "If that address has an account, a reset link is on its way. It works for a day.";
        return RedirectToPage("/Account/SignIn");
    }
}
