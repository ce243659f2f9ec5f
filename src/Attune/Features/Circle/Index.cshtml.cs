using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Circle;

/// <summary>My circle: who supports me, whom I support, invitations waiting, inviting someone, and notices on this device.</summary>
[RateLimited(RateLimits.Email, Handler = "invite")]
public sealed class IndexModel(CircleService circle, Infrastructure.Push.VapidKeys vapid, Infrastructure.Push.PushSender push) : CirclePageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public bool CanReceiveReaches { get; set; } = true;
    [BindProperty] public bool CanSeeShared { get; set; } = true;

    public CircleDto Circle { get; private set; } = new([], [], []);
    /// <summary>How the people I invite will see me named: my own display name, or nothing yet.</summary>
    public string MyName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        Circle = await circle.ListAsync(UserId, ct);
        MyName = await Me.DisplayNameAsync(ct); // the cached profile: no query
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken ct)
    {
        var (_, _, errors) = await circle.InviteAsync(UserId, new InvitationInput(Email, Name, CanReceiveReaches, CanSeeShared), ct);
        if (errors is not null)
        {
            Show(errors);
            await LoadAsync(ct);
            return Page();
        }
        TempData["Status"] = $"Your invitation is on its way to {Email}. It works once, for 7 days.";
        return RedirectToPage();
    }

    /// <summary>The key a browser needs to subscribe to push notices.</summary>
    public async Task<IActionResult> OnGetPushKeyAsync(CancellationToken ct) => new JsonResult(new { publicKey = (await vapid.GetAsync(ct)).PublicKey });

    /// <summary>This browser's push subscription (JSON, as the API takes it), so reaches can reach this device.</summary>
    public async Task<IActionResult> OnPostSubscribeAsync([FromBody] Infrastructure.Push.PushSubscriptionInput? input, CancellationToken ct)
    {
        if (input is null) return new FieldErrors().Add("body", "Please send the subscription as JSON.").ToPageProblem();
        var (id, errors) = await push.SubscribeAsync(UserId, input, ct);
        return errors is not null ? errors.ToPageProblem() : new JsonResult(new { id });
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        if (!await circle.CancelInvitationAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "The invitation is cancelled. Its link no longer works.";
        return RedirectToPage();
    }
}
