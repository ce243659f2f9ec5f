using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Assessments;

public sealed class TakeModel(Instruments instruments, CheckIns checkIns) : SignedInPageModel
{
    public Instrument Instrument { get; private set; } = null!;
    public List<int> Answers { get; private set; } = [];
    private readonly HashSet<int> _answered = [];

    public bool Answered(int index) => _answered.Contains(index);

    public IActionResult OnGet(string code)
    {
        if (instruments.Find(code) is not { } found) return NotFound();
        Instrument = found;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        if (instruments.Find(code) is not { } found) return NotFound();
        Instrument = found;
        var answers = new List<int>();
        var missing = 0;
        for (var i = 0; i < found.Items.Count; i++)
        {
            if (int.TryParse(Request.Form[$"answers[{i}]"], out var value))
            {
                answers.Add(value);
                _answered.Add(i);
            }
            else
            {
                answers.Add(-1);
                missing++;
            }
        }
        Answers = answers;
        if (missing > 0 || Instruments.Validate(found, answers).Any)
        {
            ModelState.AddModelError("", missing == 1 ? "One question still needs an answer." : $"{missing} questions still need an answer.");
            return Page();
        }
        var saved = await checkIns.SaveAsync(UserId, found, answers, ct);
        return Redirect($"/check-ins/{found.Code}/results/{saved.Id}");
    }
}
