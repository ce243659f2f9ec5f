using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Activations;

/// <summary>Insights: charts and plain summaries over a chosen range.</summary>
public sealed class InsightsModel(Insights insights) : ActivationPageModel
{
    [BindProperty(SupportsGet = true)] public string? Range { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public ActivationInsights? Data { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (period, errors) = await insights.PeriodAsync(UserId, From, To, Range, ct);
        if (errors.Any)
        {
            Show(errors);
            (period, _) = await insights.PeriodAsync(UserId, null, null, null, ct);
        }
        Data = await insights.ComputeAsync(UserId, period!, ct);
    }
}
