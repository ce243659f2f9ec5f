using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Account;

[AllowAnonymous]
public sealed class CheckEmailModel(UserManager<AttuneUser> users, AccountEmails emails) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Please enter your email address.")]
    [EmailAddress(ErrorMessage = "That doesn't look like an email address.")]
    public string Email { get; set; } = "";

    /// <summary>Where the person will land after confirming (an invitation, say), so this page can say so.</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is { EmailConfirmed: false }) await RegisterModel.SendConfirmationAsync(users, emails, user, ReturnUrl);
        TempData["Status"] = "If that address has an account waiting to be confirmed, we've sent the link again.";
        return RedirectToPage(new { returnUrl = SignInModel.IsLocal(ReturnUrl) ? ReturnUrl : null });
    }
}
