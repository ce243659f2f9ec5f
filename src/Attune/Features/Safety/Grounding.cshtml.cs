using Attune.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Safety;

/// <summary>Open to everyone, signed in or not: grounding must never be behind a sign-in.</summary>
[AllowAnonymous]
public sealed class GroundingModel(CrisisResources crisis, AttuneDb db) : PageModel
{
    public CrisisAnswer Answer { get; private set; } = null!;
    public CountryPickerModel Picker => new("/grounding#lines", Answer.Country, Countries);
    public IEnumerable<KeyValuePair<string, CrisisRegion>> Countries => crisis.Countries.OrderBy(c => c.Value.Name, StringComparer.Ordinal);
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task OnGetAsync(string? country, CancellationToken ct) =>
        Answer = crisis.For(await SafetyPages.CountryAsync(country, User, db, ct));
}
