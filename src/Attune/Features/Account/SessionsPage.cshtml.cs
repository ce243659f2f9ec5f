using Attune.Infrastructure.Web;
using Attune.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Account;

public sealed class SessionsPageModel(Sessions sessions, AuditLog audit, Data.AttuneDb db) : SignedInPageModel
{
    public List<UserSession> List { get; private set; } = [];
    public Guid? Current { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = Sessions.IdOf(User);
        List = await sessions.ListAsync(UserId, ct);
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id, CancellationToken ct)
    {
        if (await sessions.EndAsync(UserId, id, ct))
        {
            await audit.RecordAsync(UserId, AuditActions.SessionEnded, "session", id.ToString(), ct: ct);
            TempData["Status"] = "That device is signed out.";
        }
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndOthersAsync(CancellationToken ct)
    {
        var ended = await sessions.MarkOthersEndedAsync(UserId, Sessions.IdOf(User), ct);
        await db.SaveChangesAsync(ct);
        foreach (var id in ended)
        {
            sessions.Forget(id);
            await audit.RecordAsync(UserId, AuditActions.SessionEnded, "session", id.ToString(), ct: ct);
        }
        TempData["Status"] = "You're signed out everywhere else.";
        return RedirectToPage();
    }
}
