using System.ComponentModel.DataAnnotations;
using Attune.Data;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Attune.Features.Account;

public sealed class ProfileModel(UserManager<AttuneUser> users, AttuneDb db) : SignedInPageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    public IEnumerable<SelectListItem> TimeZones => Places.TimeZones;
    public IEnumerable<SelectListItem> CountryOptions => Places.Countries;

    /// <summary>The looks to choose from, in the order shown, with the words people read.</summary>
    public IReadOnlyList<(string Value, string Label)> ThemeChoices { get; } =
        [(Themes.System, "Match my device"), (Themes.Light, "Light"), (Themes.Dark, "Dark")];

    public sealed class InputModel
    {
        [StringLength(MeEndpoints.DisplayNameMax, ErrorMessage = "Please keep your name to 80 characters or fewer.")]
        [Display(Name = "Your name")]
        public string? DisplayName { get; set; }

        [Display(Name = "Time zone")]
        public string TimeZone { get; set; } = "UTC";

        [Display(Name = "Country")]
        public string? Country { get; set; }

        [Display(Name = "Quick exit also signs me out")]
        public bool QuickExitSignsOut { get; set; }

        /// <summary>One of <see cref="Themes"/>; null (not sent) leaves the choice as it is.</summary>
        [Display(Name = "How Attune looks")]
        public string? Theme { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        Input = new InputModel { DisplayName = await db.DisplayNameAsync(user, ct), TimeZone = user.TimeZone, Country = user.Country, QuickExitSignsOut = user.QuickExitSignsOut, Theme = user.Theme };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var errors = MeEndpoints.Validate(new MePatch(Input.DisplayName ?? "", Input.TimeZone, Input.Country ?? "", Input.Theme));
        if (!ModelState.IsValid || errors.Any)
        {
            foreach (var (field, message) in errors.Items)
                ModelState.AddModelError(field switch { "displayName" => "Input.DisplayName", "timeZone" => "Input.TimeZone", "theme" => "Input.Theme", _ => "Input.Country" }, message);
            // What the form's own controls can't produce (a NUL, an unknown zone) is a bad request, not a form to fix.
            if (errors.Any) Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await db.SetDisplayNameAsync(user, Input.DisplayName, ct);
        user.TimeZone = Input.TimeZone;
        user.Country = string.IsNullOrEmpty(Input.Country) ? null : Input.Country.ToUpperInvariant();
        user.QuickExitSignsOut = Input.QuickExitSignsOut;
        if (Input.Theme is not null) user.Theme = Input.Theme;
        await db.SaveChangesAsync(ct);
        TempData["Status"] = "Saved.";
        return RedirectToPage();
    }
}
