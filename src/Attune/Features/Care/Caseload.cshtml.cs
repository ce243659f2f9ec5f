using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>The therapist's workspace: requests waiting, and each person within what they agreed to.</summary>
public sealed class CaseloadModel(CareService care, Caseload caseload, TherapistDirectory directory, SessionNotes notes) : SignedInPageModel
{
    /// <summary>All my session notes as one Markdown file.</summary>
    public async Task<IActionResult> OnGetNotesAsync(CancellationToken ct) =>
        await directory.MineAsync(UserId, ct) is null ? NotFound()
            : File(System.Text.Encoding.UTF8.GetBytes(await notes.ExportAsync(UserId, ct)), "text/markdown; charset=utf-8", "attune-session-notes.md");

    public IReadOnlyList<CareRequestDto> Requests { get; private set; } = [];
    public IReadOnlyList<CaseloadEntry> People { get; private set; } = [];
    public bool IsTherapist { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        IsTherapist = await directory.IsWorkingAsync(UserId, ct);
        if (!IsTherapist) return;
        Requests = await care.RequestsAsync(UserId, ct);
        People = await caseload.CaseloadAsync(UserId, ct);
    }

    public async Task<IActionResult> OnPostAnswerAsync(Guid id, bool accept, CancellationToken ct)
    {
        if (!await directory.IsWorkingAsync(UserId, ct) || await care.AnswerAsync(UserId, id, accept, ct) is not { } c) return NotFound();
        TempData["Status"] = accept ? $"You're connected with {c.OtherName}. They choose what you may see; until then you'll see only their name and the assignments you give."
            : "You said no. They are told kindly, without any reason.";
        return RedirectToPage();
    }
}
