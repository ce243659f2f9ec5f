using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Journal;

/// <summary>The journal as Markdown files in a zip, or as one PDF.</summary>
public sealed class ExportModel(JournalExport export, ExportGate gate) : JournalPageModel
{
    public bool PdfAvailable => export.PdfAvailable;

    public void OnGet() { }

    public async Task<IActionResult> OnGetZipAsync(CancellationToken ct)
    {
        using var running = gate.TryStart(UserId);
        if (running is null) return StatusCode(StatusCodes.Status429TooManyRequests);
        return File(await export.ZipAsync(UserId, await Me.ZoneAsync(ct), ct), "application/zip", "attune-journal.zip");
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!export.PdfAvailable) return NotFound();
        using var running = gate.TryStart(UserId);
        if (running is null) return StatusCode(StatusCodes.Status429TooManyRequests);
        return File(await export.PdfAsync(UserId, await Me.ZoneAsync(ct), ct), "application/pdf", "attune-journal.pdf");
    }
}
