using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Design;

/// <summary>Every shared component, once in the light theme and once in the dark, with made-up sample text only.</summary>
[AllowAnonymous]
public sealed class IndexModel(TimeProvider time, IWebHostEnvironment environment) : PageModel
{
    /// <summary>Every icon the sprite holds (tools/icons/icons.json), by our name.</summary>
    public IReadOnlyList<string> Icons => [.. Attune.Infrastructure.Web.IconTagHelper.Names(environment).Order(StringComparer.Ordinal)];

    public const string FieldError = "Please write a word or two, or leave this for another day.";

    private static readonly int[] SampleScores = [14, 12, 13, 10, 9, 10, 7, 6];

    /// <summary>A made-up check-in history for the sample chart: a slow, uneven easing over eight weeks.</summary>
    public IReadOnlyList<(DateTimeOffset At, int Value)> Scores { get; private set; } = [];

    public void OnGet()
    {
        var today = time.GetUtcNow().Date;
        Scores = [.. SampleScores.Select((v, i) => (new DateTimeOffset(today.AddDays(7 * (i - 7)), TimeSpan.Zero), v))];
        // The form-errors summary reads the page's model state, as it does after a real post.
        ModelState.AddModelError("feeling", FieldError);
    }
}
