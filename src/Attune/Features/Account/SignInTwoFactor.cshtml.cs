using Attune.Data;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Attune.Infrastructure.Web;

namespace Attune.Features.Account;

[AllowAnonymous, RateLimited(RateLimits.Auth)]
public sealed class SignInTwoFactorModel(SignInManager<AttuneUser> signIn) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Please enter the code from your app.")]
    [Display(Name = "Code")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true)] public bool RememberMe { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null) return RedirectToPage("/Account/SignIn");
        if (!SignInModel.IsSafeReturn(ReturnUrl))
        {
            ModelState.AddModelError(nameof(ReturnUrl), SignInModel.BadReturn);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        if (!ModelState.IsValid) return Page();
        var code = Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, RememberMe, rememberClient: false);
        if (result.Succeeded) return LocalRedirect(SignInModel.SafeReturn(ReturnUrl));
        ModelState.AddModelError(nameof(Code), result.IsLockedOut
            ? SignInGuard.PausedMessage
            : "That code didn't match. Codes change every 30 seconds, so try the newest one.");
        return Page();
    }
}
