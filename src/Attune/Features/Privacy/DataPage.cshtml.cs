using System.Text.Json;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Privacy;

public sealed class DataPageModel(PersonalData data) : SignedInPageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void OnGet() { }

    public async Task<IActionResult> OnGetJsonAsync(CancellationToken ct)
    {
        var document = await data.ExportAsync(UserId, ct);
        return File(JsonSerializer.SerializeToUtf8Bytes(document, Json), "application/json", "attune-export.json");
    }

    public async Task<IActionResult> OnGetReadableAsync(CancellationToken ct)
    {
        var document = await data.ExportAsync(UserId, ct);
        var element = JsonSerializer.SerializeToElement(document, Json);
        return File(System.Text.Encoding.UTF8.GetBytes(ExportHtml.Render(element)), "text/html; charset=utf-8", "attune-export.html");
    }
}
