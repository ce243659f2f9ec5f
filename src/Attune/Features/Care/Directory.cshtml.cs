using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>The public directory: anyone can look, no account needed.</summary>
[AllowAnonymous]
public sealed class DirectoryModel(TherapistDirectory directory) : SignedInPageModel
{
    [FromQuery] public string? Q { get; set; }
    [FromQuery] public string? Modality { get; set; }
    [FromQuery] public string? Format { get; set; }
    [FromQuery] public string? Language { get; set; }
    [FromQuery] public string? Country { get; set; }
    [FromQuery] public string? Region { get; set; }
    [FromQuery] public string? Accepting { get; set; }
    [FromQuery] public string? Cursor { get; set; }

    public Page<TherapistDto> Results { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (query, errors) = CareApi.ParseQuery(Q, Modality, Format, Language, Country, Accepting == "on" ? "true" : Accepting, null, Cursor, Region);
        if (errors.Any) { Show(errors); return; }
        Results = await directory.SearchAsync(query, ct);
    }

    public string NextUrl => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Q,
        ["modality"] = Modality,
        ["format"] = Format,
        ["language"] = Language,
        ["country"] = Country,
        ["accepting"] = Accepting,
        ["cursor"] = Results.Next,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
