using Attune.Data;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Account;

[AllowAnonymous]
public sealed class SignOutModel(SignInManager<AttuneUser> signIn, AttuneDb db) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true) await signIn.SignOutAsync();
        TempData["Status"] = "You've signed out. Take care of yourself.";
        return LocalRedirect("/");
    }

    /// <summary>
    /// Quick exit's note to the server, sent as the page leaves (a beacon, so nobody waits for it).
    /// It ends this session only for a person who chose "quick exit also signs me out".
    /// </summary>
    public async Task<IActionResult> OnPostQuickExitAsync(CancellationToken ct)
    {
        if (CurrentPerson.IdOf(User) is { } id
            && await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.QuickExitSignsOut).FirstOrDefaultAsync(ct))
            await signIn.SignOutAsync();
        return new NoContentResult();
    }
}
