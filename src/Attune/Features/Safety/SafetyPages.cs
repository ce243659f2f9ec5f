using System.Security.Claims;
using Attune.Data;
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
        return id is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.Country).FirstOrDefaultAsync(ct);
    }
}
