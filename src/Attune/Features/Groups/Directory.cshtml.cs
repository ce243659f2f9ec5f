using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>The public group directory: anyone can look, no account needed, and nobody knows you looked.</summary>
[AllowAnonymous]
public sealed class DirectoryModel(GroupsService groups) : SignedInPageModel
{
    [FromQuery] public string? Q { get; set; }
    [FromQuery] public int? Part { get; set; }
    [FromQuery] public string? Language { get; set; }
    [FromQuery] public int? Cursor { get; set; }

    public Page<GroupCardDto> Results { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var errors = new FieldErrors();
        var q = GroupRules.Clean(Q);
        errors.MaxLength("q", q, GroupsService.MaxQuery);
        if (Part is not null) errors.Range("part", Part, 1, 4);
        var language = GroupRules.Clean(Language);
        if (language is not null && !GroupLanguages.IsKnown(language)) errors.Add("language", GroupLanguages.Unknown);
        if (errors.Any) { Show(errors); return; }
        var viewer = User.Identity?.IsAuthenticated == true ? UserId : null;
        Results = await groups.DirectoryAsync(viewer, q, Part, language, GroupsService.DefaultPage, Math.Max(0, Cursor ?? 0), ct);
    }

    public string NextUrl => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Q,
        ["part"] = Part?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["language"] = Language,
        ["cursor"] = Results.Next,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
