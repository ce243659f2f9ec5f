using System.ComponentModel.DataAnnotations;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Account;

[AllowAnonymous, RateLimited(RateLimits.Auth), RateLimited(RateLimits.Email)]
public sealed class ForgotPasswordModel(Mailer mailer) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Please enter your email address.")]
    [EmailAddress(ErrorMessage = "That doesn't look like an email address."), PlainText]
    public string Email { get; set; } = "";

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        // The mail queue looks the address up when it sends: the same answer, and the same work here, whether or not it has an account.
        await mailer.QueueAccountEmailAsync(MailKinds.ResetLink, Email.Trim(), HttpContext.RequestAborted);
        TempData["Status"] = "If that address has an account, a reset link is on its way. It works for a day.";
        return RedirectToPage("/Account/SignIn");
    }
}
