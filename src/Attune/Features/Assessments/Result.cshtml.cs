using System.Security.Claims;
using Attune.Data;
using Attune.Features.Safety;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Assessments;

/// <summary>One result. Someone else's result answers 404, as does one that doesn't exist.</summary>
public sealed class ResultModel(Instruments instruments, CheckIns checkIns, CrisisResources crisis, AttuneDb db, Journey.Practices practices) : PageModel
{
    public Journey.Practices Practices => practices;

    public Instrument Instrument { get; private set; } = null!;
    public CheckInDto Result { get; private set; } = null!;
    public CrisisAnswer Crisis { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        var result = await checkIns.FindAsync(User.FindFirstValue(ClaimTypes.NameIdentifier)!, id, withAnswers: false, ct);
        if (result is null || result.Instrument != code || instruments.Find(code) is not { } instrument) return NotFound();
        (Instrument, Result) = (instrument, result);
        Crisis = crisis.For(await SafetyPages.CountryAsync(null, User, db, ct));
        return Page();
    }
}
