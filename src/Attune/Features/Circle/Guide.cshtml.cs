using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Circle;

/// <summary>The guide to holding space, for supporters (and anyone).</summary>
public sealed class GuideModel : PageModel
{
    public bool Welcome { get; private set; }

    public void OnGet(bool welcome) => Welcome = welcome;
}
