using System.Security.Claims;
using Attune.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Safety;

public sealed class PlanModel(SafetyPlans plans, SafetyPlanPdf pdf, CrisisResources crisis, AttuneDb db) : PageModel
{
    public SafetyPlanDto Plan { get; private set; } = SafetyPlanDto.Empty;
    public CrisisAnswer Crisis { get; private set; } = null!;
    public bool PdfAvailable => pdf.Available;
    public bool IsEmpty => SafetyPlanSections.All.All(s => s.Items(Plan).Count == 0);

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Plan = await plans.GetAsync(UserId, ct);
        Crisis = crisis.For(await SafetyPages.CountryAsync(null, User, db, ct));
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!pdf.Available) return RedirectToPage();
        var plan = await plans.GetAsync(UserId, ct);
        var lines = crisis.For(await SafetyPages.CountryAsync(null, User, db, ct));
        return File(pdf.Render(plan, lines), "application/pdf", "my-safety-plan.pdf");
    }
}
