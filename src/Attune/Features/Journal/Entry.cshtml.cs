using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Journal;

/// <summary>One entry, shown the way its kind reads best. Someone else's entry answers 404.</summary>
public sealed class EntryModel(Journal journal) : JournalPageModel
{
    public JournalEntryDto Entry { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await journal.GetAsync(UserId, id, ct) is not { } entry) return NotFound();
        Entry = entry;
        Zone = await Me.ZoneAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetImageAsync(Guid id, CancellationToken ct) =>
        await journal.ImageAsync(UserId, id, ct) is { } img ? File(img.Bytes, img.ContentType) : NotFound();

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await journal.DeleteAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "The entry is deleted.";
        return RedirectToPage("/Journal/Index");
    }
}
