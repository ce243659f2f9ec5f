using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Activations;

/// <summary>The reaction log: filters, and the person's activations newest first.</summary>
public sealed class IndexModel(Activations activations) : ActivationPageModel
{
    [BindProperty(SupportsGet = true)] public string? Pattern { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public List<ActivationDto> Items { get; private set; } = [];
    public string? Next { get; private set; }
    public IReadOnlyList<Assessments.Pattern> Patterns => activations.Patterns;
    public string PatternName(string code) => activations.Patterns.FirstOrDefault(p => p.Code == code)?.Name ?? code;

    public string NextUrl => QueryString.Create(new Dictionary<string, string?> { ["pattern"] = Pattern, ["from"] = From, ["to"] = To, ["cursor"] = Next }
        .Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = await Me.ZoneAsync(ct);
        var (from, to, pattern, limit, after, errors) = ActivationsApi.ParseQuery(activations, From, To, Pattern, 30, Cursor);
        if (errors.Any)
        {
            Show(errors);
            return;
        }
        (Items, var next) = await activations.ListAsync(UserId, from, to, pattern, limit, after, ct);
        Next = ActivationsApi.Cursor(next);
    }
}
