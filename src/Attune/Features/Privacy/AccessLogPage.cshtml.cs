using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Privacy;

public sealed class AccessLogPageModel(AccessLog log) : PageModel
{
    public List<AccessLog.Row> Rows { get; private set; } = [];
    public string? Next { get; private set; }

    public async Task OnGetAsync(string? cursor, CancellationToken ct) =>
        (Rows, Next) = await log.ReadAsync(User.FindFirstValue(ClaimTypes.NameIdentifier)!, 50, cursor, ct);
}
