using Attune.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Safety;

[AllowAnonymous]
public sealed class HelpModel(CrisisResources crisis, AttuneDb db) : PageModel
{
    public CrisisAnswer Answer { get; private set; } = null!;
    public CountryPickerModel Picker => new("/help", Answer.Country, Countries);
    public IEnumerable<KeyValuePair<string, CrisisRegion>> Countries => crisis.Countries.OrderBy(c => c.Value.Name, StringComparer.Ordinal);

    public async Task OnGetAsync(string? country, CancellationToken ct) =>
        Answer = crisis.For(await SafetyPages.CountryAsync(country, User, db, ct));
}
