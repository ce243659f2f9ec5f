using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Safety;

public sealed class PlanEditModel(SafetyPlans plans) : SignedInPageModel
{
    public Dictionary<string, List<string>> Values { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var plan = await plans.GetAsync(UserId, ct);
        Values = SafetyPlanSections.All.ToDictionary(s => s.Field, s => s.Items(plan));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Values = SafetyPlanSections.All.ToDictionary(s => s.Field, s => Lines(Request.Form[s.Field].ToString()));
        var input = new SafetyPlanDto(Values["warningSigns"], Values["copingStrategies"], Values["distractions"], Values["helpers"],
            Values["professionals"], Values["safeEnvironment"], Values["reasonsToLive"]);
        var (clean, errors) = SafetyPlans.Validate(input);
        if (errors.Any)
        {
            ModelState.AddModelError("", $"Each part can hold up to {SafetyPlans.MaxItems} lines of up to {SafetyPlans.MaxItemLength} characters. Please shorten the longer ones.");
            return Page();
        }
        await plans.SaveAsync(UserId, clean, ct);
        TempData["Status"] = "Your safety plan is saved.";
        return RedirectToPage("/Safety/Plan");
    }

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
