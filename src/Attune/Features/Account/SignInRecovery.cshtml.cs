using Attune.Data;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Attune.Infrastructure.Web;

namespace Attune.Features.Account;

[AllowAnonymous, RateLimited(RateLimits.Auth)]
public sealed class SignInRecoveryModel(SignInManager<AttuneUser> signIn) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Please enter a recovery code.")]
    [Display(Name = "Recovery code")]
    public string Code { get; set; } = "";

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return RedirectToPage("/Account/SignIn");
        if (!ModelState.IsValid) return Page();
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(Code.Replace(" ", "", StringComparison.Ordinal));
        if (result.Succeeded)
        {
            TempData["Status"] = "You're signed in. That recovery code is now used up; you can make new ones under Password and sign-in.";
            return LocalRedirect("/");
        }
        ModelState.AddModelError(nameof(Code), "That recovery code didn't match, or it has been used already.");
        return Page();
    }
}
