using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Account;

[AllowAnonymous]
public sealed class SignOutModel(SignInManager<AttuneUser> signIn) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true) await signIn.SignOutAsync();
        TempData["Status"] = "You've signed out. Take care of yourself.";
        return LocalRedirect("/");
    }
}
