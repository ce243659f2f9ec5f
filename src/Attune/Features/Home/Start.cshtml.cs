using Attune.Data;
using Attune.Features.Care;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Home;

/// <summary>
/// Where signing in lands: a therapist with people in their care (or asking to be) goes to their
/// workspace; everyone else to Today.
/// </summary>
public sealed class StartModel(AttuneDb db) : SignedInPageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        LocalRedirect(await db.Set<CareRelationship>().AsNoTracking().AnyAsync(c => c.TherapistId == UserId && c.Status != CareStatus.Declined, ct) ? "/caseload" : "/");
}
