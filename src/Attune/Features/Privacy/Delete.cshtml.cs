using Attune.Data;
using System.ComponentModel.DataAnnotations;
using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Privacy;

public sealed class DeleteModel(UserManager<AttuneUser> users, PersonalData data, SignInGuard guard) : SignedInPageModel
{
    [BindProperty, Display(Name = "Your password")] public string? Password { get; set; }
    [BindProperty, Display(Name = "I understand")] public bool Understood { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        if (!Understood)
            ModelState.AddModelError(nameof(Understood), "Please tick the box to say you understand.");
        if (ModelState.ErrorCount > 0) return Page();
        var check = await guard.CheckPasswordAsync(users, user, Password, ct);
        if (check != PasswordCheck.Right)
        {
            ModelState.AddModelError(nameof(Password), check == PasswordCheck.Paused ? SignInGuard.PausedMessage : "That password doesn't match. Nothing has been deleted.");
            return Page();
        }
        await data.DeleteAsync(user.Id, ct);
        await HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        return RedirectToPage("/Account/Deleted");
    }
}
