using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attune.Features.Account;

[AllowAnonymous]
public sealed class DeletedModel : PageModel
{
    public void OnGet() { }
}
