using System.Security.Claims;
using Attune.Data;
using Attune.Features.Account;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features;

[AllowAnonymous]
public sealed class IndexModel(AttuneDb db) : PageModel
{
    public bool SignedIn { get; private set; }
    public string DisplayName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var id = User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null) return;
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return;
        SignedIn = true;
        DisplayName = await db.DisplayNameAsync(user, ct);
    }
}
