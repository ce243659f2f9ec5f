using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Activations;

/// <summary>The progress report as a page, and as a PDF to download.</summary>
public sealed class ReportModel(Insights insights, ProgressReport report) : ActivationPageModel
{
    [BindProperty(SupportsGet = true)] public string? Range { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public ProgressReportData? Data { get; private set; }
    public bool PdfAvailable => report.PdfAvailable;
    public IEnumerable<string> Attributions => Data is null ? [] : report.Attributions(Data.Insights);

    private async Task<InsightPeriod> PeriodAsync(CancellationToken ct)
    {
        var (period, errors) = await insights.PeriodAsync(UserId, From, To, Range, ct);
        if (!errors.Any) return period!;
        Show(errors);
        return (await insights.PeriodAsync(UserId, null, null, null, ct)).Period!;
    }

    public async Task OnGetAsync(CancellationToken ct) => Data = await report.BuildAsync(UserId, await PeriodAsync(ct), ct);

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!report.PdfAvailable) return RedirectToPage();
        var period = await PeriodAsync(ct);
        if (!ModelState.IsValid) return BadRequest();
        return File(report.Pdf(await report.BuildAsync(UserId, period, ct)), "application/pdf", "attune-progress-report.pdf");
    }

    public string Query => QueryString.Create(new Dictionary<string, string?> { ["range"] = Range, ["from"] = From, ["to"] = To }
        .Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
