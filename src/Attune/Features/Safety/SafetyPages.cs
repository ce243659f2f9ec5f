using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Safety;

public sealed record CountryPickerModel(string Action, string? Selected, IEnumerable<KeyValuePair<string, CrisisRegion>> Countries);

/// <summary>A page that shows crisis lines for a chosen country, or the signed-in person's own.</summary>
public abstract class CrisisLinesPageModel(CrisisResources crisis, CurrentPerson me, string action) : PageModel
{
    public CrisisAnswer Answer { get; private set; } = null!;
    public CountryPickerModel Picker => new(action, Answer.Country, Countries);
    public IEnumerable<KeyValuePair<string, CrisisRegion>> Countries => crisis.Countries.OrderBy(c => c.Value.Name, StringComparer.Ordinal);

    protected CrisisResources Lines => crisis;

    public async Task OnGetAsync(string? country, CancellationToken ct)
    {
        Answer = crisis.For(await me.CountryAsync(country, ct));
        await LoadMoreAsync(ct);
    }

    /// <summary>Anything else a page shows beside the lines.</summary>
    protected virtual Task LoadMoreAsync(CancellationToken ct) => Task.CompletedTask;
}
