using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups;

/// <summary>An invitation link: the group's title and what it keeps, never who sent it. Joining needs an account.</summary>
[AllowAnonymous]
public sealed class JoinModel(InvitationLinks links, Applications applications) : SignedInPageModel
{
    public Group? Invited { get; private set; }
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        Invited = await links.FindAsync(token, ct);
        return Page(); // an unknown link says so kindly, and gives nothing away
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!SignedIn) return Challenge();
        Invited = await links.FindAsync(token, ct);
        var (joined, errors) = await applications.JoinAsync(UserId, Invited, ct);
        if (joined is not null) return Redirect(joined.Next);
        if (errors is null) return NotFound();
        Show(errors);
        return Page();
    }
}
