using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Privacy;

[AllowAnonymous]
public sealed class IndexModel : PageModel
{
    public void OnGet() { }
}
