using System.Security.Claims;
using Attune.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Safety;

public sealed record CountryPickerModel(string Action, string? Selected, IEnumerable<KeyValuePair<string, CrisisRegion>> Countries);

internal static class SafetyPages
{
    /// <summary>The country asked for, else the signed-in person's own, else none.</summary>
    public static async Task<string?> CountryAsync(string? asked, ClaimsPrincipal user, AttuneDb db, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(asked)) return asked.Trim().ToUpperInvariant();
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return id is null ? null : (await db.ProfileAsync(id, ct))?.Country;
    }
}

/// <summary>A page that shows crisis lines for a chosen country, or the signed-in person's own.</summary>
public abstract class CrisisLinesPageModel(CrisisResources crisis, AttuneDb db, string action) : PageModel
{
    public CrisisAnswer Answer { get; private set; } = null!;
    public CountryPickerModel Picker => new(action, Answer.Country, Countries);
    public IEnumerable<KeyValuePair<string, CrisisRegion>> Countries => crisis.Countries.OrderBy(c => c.Value.Name, StringComparer.Ordinal);

    protected CrisisResources Lines => crisis;

    public async Task OnGetAsync(string? country, CancellationToken ct)
    {
        Answer = crisis.For(await SafetyPages.CountryAsync(country, User, db, ct));
        await LoadMoreAsync(ct);
    }

    /// <summary>Anything else a page shows beside the lines.</summary>
    protected virtual Task LoadMoreAsync(CancellationToken ct) => Task.CompletedTask;
}
