using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Safety;

public sealed class PlanModel(SafetyPlans plans, SafetyPlanPdf pdf, CrisisResources crisis) : SignedInPageModel
{
    public SafetyPlanDto Plan { get; private set; } = SafetyPlanDto.Empty;
    public CrisisAnswer Crisis { get; private set; } = null!;
    public bool PdfAvailable => pdf.Available;
    public bool IsEmpty => SafetyPlanSections.All.All(s => s.Items(Plan).Count == 0);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Plan = await plans.GetAsync(UserId, ct);
        Crisis = crisis.For(await Me.CountryAsync(ct));
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!pdf.Available) return RedirectToPage();
        var plan = await plans.GetAsync(UserId, ct);
        var lines = crisis.For(await Me.CountryAsync(ct));
        return File(pdf.Render(plan, lines), "application/pdf", "my-safety-plan.pdf");
    }
}
