using System.ComponentModel.DataAnnotations;
using Attune.Data;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Attune.Infrastructure.Web;

namespace Attune.Features.Account;

[AllowAnonymous, RateLimited(RateLimits.Auth), RateLimited(RateLimits.Email)]
public sealed class RegisterModel(UserManager<AttuneUser> users, AttuneDb db, AccountEmails emails, AuditLog audit, TimeProvider clock) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();

    /// <summary>Where to land after confirming and signing in (an invitation, say); carried through the confirmation email.</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        [StringLength(MeEndpoints.DisplayNameMax, ErrorMessage = "Please keep your name to 80 characters or fewer."), PlainText]
        [Display(Name = "Name")]
        public string? DisplayName { get; set; }

        [Required(ErrorMessage = "Please enter your email address.")]
        [EmailAddress(ErrorMessage = "That doesn't look like an email address."), PlainText]
        [StringLength(256)]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Please choose a password.")]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var email = Input.Email.Trim();
        var user = new AttuneUser { UserName = email, Email = email, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.PrepareNewPerson(user);
        await db.SetDisplayNameAsync(user, Input.DisplayName, ct);
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            db.AbandonNewPerson(user);
            if (result.Errors.All(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
            {
                // Same page as a new account, so nobody can learn who uses Attune; the owner gets a note.
                await emails.SendAlreadyRegisteredAsync(email);
                return RedirectToPage("/Account/CheckEmail", new { returnUrl = Return });
            }
            foreach (var e in result.Errors)
                ModelState.AddModelError(e.Code.StartsWith("Password", StringComparison.Ordinal) ? "Input.Password" : "Input.Email", e.Description);
            return Page();
        }
        await audit.RecordAsync(user.Id, AuditActions.Registered, "user", user.Id, ct: ct);
        await SendConfirmationAsync(users, emails, user, Return);
        return RedirectToPage("/Account/CheckEmail", new { returnUrl = Return });
    }

    private string? Return => SignInModel.IsLocal(ReturnUrl) ? ReturnUrl : null;

    internal static async Task SendConfirmationAsync(UserManager<AttuneUser> users, AccountEmails emails, AttuneUser user, string? returnUrl = null) =>
        await emails.SendConfirmationAsync(user.Email!, await emails.ConfirmationLinkAsync(users, user, returnUrl), isChange: false);
}
