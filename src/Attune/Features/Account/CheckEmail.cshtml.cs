using System.ComponentModel.DataAnnotations;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Account;

[AllowAnonymous, RateLimited(RateLimits.Auth), RateLimited(RateLimits.Email)]
public sealed class CheckEmailModel(Mailer mailer) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Please enter your email address.")]
    [EmailAddress(ErrorMessage = "That doesn't look like an email address."), PlainText]
    public string Email { get; set; } = "";

    /// <summary>Where the person will land after confirming (an invitation, say), so this page can say so.</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        // Whether the address has an account waiting is decided in the mail queue, not here: the same answer, the same work.
        await mailer.QueueAccountEmailAsync(MailKinds.Confirm, Email.Trim(), SignInModel.IsLocal(ReturnUrl) ? ReturnUrl : null, HttpContext.RequestAborted);
        TempData["Status"] = "If that address has an account waiting to be confirmed, we've sent the link again.";
        return RedirectToPage(new { returnUrl = SignInModel.IsLocal(ReturnUrl) ? ReturnUrl : null });
    }
}
