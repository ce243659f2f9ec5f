using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features;

/// <summary>Every error page: a plain message and a reference, never the exception or anything a person sent.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "Something went wrong on our side. Nothing you wrote was shared. Please try again in a moment.";
    public string? RequestId { get; private set; }

    // The code is read from the route alone, with no model binding: a form that couldn't be read
    // (a NUL in it, say) is why some requests end up here, and binding would read it again and
    // turn their 400 into a 500.
    public void OnGet() => Describe();

    public void OnPost() => Describe();

    private void Describe()
    {
        int? code = int.TryParse(RouteData.Values["code"] as string, System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : null;
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        Response.StatusCode = code ?? StatusCodes.Status500InternalServerError;
        (Title, Message) = code switch
        {
            404 => ("We couldn't find that page", "It may have moved, or the link may be incomplete."),
            400 => ("That request didn't work", "Please go back and try again."),
            429 => ("Too many tries for now", "Please wait a minute, then try again."),
            403 => ("That isn't available to you", "If you think it should be, try signing in again."),
            _ => (Title, Message),
        };
    }
}
