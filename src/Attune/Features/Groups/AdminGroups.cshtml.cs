using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups;

/// <summary>
/// Administrators approve listed groups whose facilitator isn't a verified therapist, and can hide a
/// group from the directory. Only the public offering is shown; nobody's words. Anyone else gets 404.
/// </summary>
public sealed class AdminGroupsModel(AttuneDb db, GroupsService groups, AuditLog audit, TimeProvider clock) : SignedInPageModel
{
    public const int MaxRows = 200;
    public IReadOnlyList<AdminGroupDto> Groups { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Administrators.Role)) return NotFound();
        var rows = await db.Set<Group>().AsNoTracking().Where(g => g.Listed && g.ClosedAt == null)
            .OrderBy(g => g.ApprovedAt != null).ThenByDescending(g => g.CreatedAt).Take(MaxRows).ToListAsync(ct);
        var list = new List<AdminGroupDto>();
        foreach (var g in rows)
            list.Add(new AdminGroupDto(g.Id, g.Title, g.FacilitatorName, await groups.FacilitatorVerifiedAsync(g.FacilitatorId, ct), g.Listed,
                g.ApprovedAt != null, g.HiddenByAdmin, new DateTimeOffset(DateTime.SpecifyKind(g.CreatedAt, DateTimeKind.Utc))));
        Groups = list;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, bool? approved, bool? hidden, CancellationToken ct)
    {
        if (!User.IsInRole(Administrators.Role)) return NotFound();
        var g = await db.Set<Group>().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (g is null) return NotFound();
        if (approved is { } a)
        {
            g.ApprovedAt = a ? clock.GetUtcNow().UtcDateTime : null;
            g.ApprovedBy = a ? UserId : null;
        }
        if (hidden is { } h) g.HiddenByAdmin = h;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(UserId, approved is not null ? (approved.Value ? "group.approved" : "group.unapproved") : hidden == true ? "group.hidden" : "group.shown",
            "group", g.Id.ToString(), success: true, ct);
        TempData["Status"] = "Saved.";
        return RedirectToPage();
    }
}
