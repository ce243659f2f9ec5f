using System.Security.Claims;
using Attune.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Safety;

public sealed class PlanModel(SafetyPlans plans, CrisisResources crisis, AttuneDb db) : PageModel
{
    public SafetyPlanDto Plan { get; private set; } = SafetyPlanDto.Empty;
    public CrisisAnswer Crisis { get; private set; } = null!;
    public bool IsEmpty => SafetyPlanSections.All.All(s => s.Items(Plan).Count == 0);

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Plan = await plans.GetAsync(UserId, ct);
        Crisis = crisis.For(await SafetyPages.CountryAsync(null, User, db, ct));
    }
}
