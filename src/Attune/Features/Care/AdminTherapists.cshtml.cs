using Attune.Features.Account;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>Administrators: verify licences and hide profiles. Anyone else gets 404.</summary>
public sealed class AdminTherapistsModel(TherapistDirectory directory, Infrastructure.AuditLog audit) : SignedInPageModel
{
    public IReadOnlyList<AdminProfileDto> Profiles { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Administrators.Role)) return NotFound();
        Profiles = await directory.AllForAdminAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, bool? verified, bool? hidden, CancellationToken ct)
    {
        if (!User.IsInRole(Administrators.Role) || !await directory.AdminSetAsync(id, UserId, verified, hidden, audit, ct)) return NotFound();
        TempData["Status"] = "Saved.";
        return RedirectToPage();
    }
}
