using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Circle;

/// <summary>
/// Opening an invitation link: who invited you, what it means, and accepting. Someone not signed
/// in (often someone without an account yet) is told what it is, without who sent it, and is
/// carried back here through creating an account, confirming it and signing in.
/// </summary>
[Microsoft.AspNetCore.Authorization.AllowAnonymous]
public sealed class InvitationModel(CircleService circle) : CirclePageModel
{
    public InvitationPreview Preview { get; private set; } = null!;
    public bool SignedIn => User.Identity?.IsAuthenticated == true;
    public string Here => Request.Path.Value ?? "/";

    public async Task OnGetAsync(string token, CancellationToken ct) =>
        Preview = SignedIn ? (await circle.PreviewAsync(token, UserId, ct)).Preview : await circle.PreviewAnonymousAsync(token, ct);

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!SignedIn) return Challenge();
        var (outcome, _) = await circle.AcceptAsync(token, UserId, ct);
        if (outcome != AcceptOutcome.Accepted)
        {
            Preview = (await circle.PreviewAsync(token, UserId, ct)).Preview with { Status = outcome };
            return Page();
        }
        return Redirect("/circle/guide?welcome=true");
    }
}
