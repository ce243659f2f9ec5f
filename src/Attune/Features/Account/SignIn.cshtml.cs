using Attune.Data;
using System.ComponentModel.DataAnnotations;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Attune.Infrastructure.Web;

namespace Attune.Features.Account;

[AllowAnonymous, RateLimited(RateLimits.Auth)]
public sealed class SignInModel(SignInManager<AttuneUser> signIn, IOptions<AttuneOptions> options) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    /// <summary>The device's answer to a passkey request, as JSON, put here by the page's script.</summary>
    [BindProperty] public string? PasskeyCredential { get; set; }
    public bool NeedsConfirmation { get; private set; }
    public bool Demo => options.Value.Demo;

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Please enter your email address.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Please enter your password.")]
        public string Password { get; set; } = "";

        [Display(Name = "Keep me signed in")]
        public bool RememberMe { get; set; }
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        // A return address or email no form would send is refused before anything happens: 400, not a failure later.
        if (!IsSafeReturn(ReturnUrl) || FieldErrors.HasControl(Input.Email))
        {
            if (!IsSafeReturn(ReturnUrl)) ModelState.AddModelError(nameof(ReturnUrl), BadReturn);
            if (FieldErrors.HasControl(Input.Email)) ModelState.AddModelError("Input.Email", "That doesn't look like an email address.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!ModelState.IsValid) return Page();
        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(SafeReturn(ReturnUrl));
        if (result.RequiresTwoFactor) return RedirectToPage("/Account/SignInTwoFactor", new { ReturnUrl, Input.RememberMe });
        if (result.IsLockedOut)
        {
            ModelState.AddModelError("", SignInGuard.PausedMessage);
            return Page();
        }
        if (result.IsNotAllowed)
        {
            NeedsConfirmation = true;
            return Page();
        }
        // The same words whether the email is unknown or the password is wrong.
        ModelState.AddModelError("", "That email and password don't match an account. Please check both and try again.");
        return Page();
    }

    /// <summary>What the browser needs to ask for a passkey: any of this site's passkeys on the device, so no email is typed.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync() =>
        Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");

    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        // The password form's fields are not part of this one.
        ModelState.Clear();
        if (!IsSafeReturn(ReturnUrl) || !Passkeys.LooksLikeCredential(PasskeyCredential))
        {
            if (!IsSafeReturn(ReturnUrl)) ModelState.AddModelError(nameof(ReturnUrl), BadReturn);
            else ModelState.AddModelError(nameof(PasskeyCredential), Passkeys.DidNotWork);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var result = await ((AttuneSignInManager)signIn).PasskeySignInAsync(PasskeyCredential!, isPersistent: false);
        if (result.Succeeded) return LocalRedirect(SafeReturn(ReturnUrl));
        if (result.IsNotAllowed)
        {
            NeedsConfirmation = true;
            return Page();
        }
        ModelState.AddModelError(nameof(PasskeyCredential), result.IsLockedOut
            ? "Signing in to this account is paused for a few minutes after several tries. Please try again a little later."
            : Passkeys.DidNotWork);
        return Page();
    }

    internal const string BadReturn = "This sign-in link has an address we can't take you back to. Please sign in from the sign-in page.";

    /// <summary>Empty, or a path on this site: no scheme, no other host (<c>//</c>, <c>/\</c>), no control characters (a browser would read <c>/%09/host</c> as another site).</summary>
    internal static bool IsSafeReturn(string? url) =>
        string.IsNullOrEmpty(url) || (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) && !FieldErrors.HasControl(url));

    /// <summary>A local address to go on to, or <c>/start</c>, which lands each person where their day begins.</summary>
    internal static string SafeReturn(string? url) => IsLocal(url) ? url! : "/start";

    internal static bool IsLocal(string? url) => !string.IsNullOrEmpty(url) && IsSafeReturn(url);
}
