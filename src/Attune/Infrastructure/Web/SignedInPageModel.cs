using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Infrastructure.Web;

/// <summary>What a signed-in person's pages share: who they are, and showing field errors beside the form.</summary>
public abstract class SignedInPageModel : PageModel
{
    private CurrentPerson? _me;

    /// <summary>The person this request is for (their profile is read once per request, when first asked).</summary>
    protected CurrentPerson Me => _me ??= HttpContext.RequestServices.GetRequiredService<CurrentPerson>();

    protected string UserId => Me.Id;

    protected void Show(FieldErrors errors)
    {
        foreach (var (field, message) in errors.Items) ModelState.AddModelError(field, message);
    }

    /// <summary>The first error for <paramref name="field"/>, for the page to show beside it.</summary>
    public string? Err(string field) => ModelState.TryGetValue(field, out var e) && e.Errors.Count > 0 ? e.Errors[0].ErrorMessage : null;
}
