using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Sharing;

/// <summary>
/// One shared item. Its owner sees who read it and when, the reflections, and can take it back;
/// the person it was shared with reads it and may reflect back what they heard.
/// </summary>
public sealed class ShareViewModel(Shares shares) : SignedInPageModel
{
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public bool SendAnyway { get; set; }

    public ShareDto Share { get; private set; } = null!;
    /// <summary>Set when a reflection opens like advice and hasn't been confirmed: the page asks, gently.</summary>
    public bool AskAboutAdvice { get; private set; }

    /// <summary>
    /// Set when the share isn't there for this person (taken back, the relationship ended, or never
    /// theirs): the page says so kindly, still answering 404 and saying nothing about whose it was.
    /// </summary>
    public bool Gone { get; private set; }

    public string Label(string type) => shares.Label(type);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await shares.GetAsync(UserId, id, ct) is not { } s)
        {
            Gone = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Share = s;
        return Page();
    }

    public async Task<IActionResult> OnPostWitnessAsync(Guid id, CancellationToken ct)
    {
        // The share is loaded (and its item opened) only when the page is shown again: to ask about
        // advice, or to show what needs another look. Sending goes straight through.
        if (!SendAnyway && WitnessCheck.LooksLikeAdvice(Text))
        {
            AskAboutAdvice = true;
            return await ShowAgainAsync(id, null, ct);
        }
        var (witness, errors) = await shares.WitnessAsync(UserId, id, new WitnessInput(Text), ct);
        if (witness is null && errors is null) return NotFound();
        if (errors is not null) return await ShowAgainAsync(id, errors, ct);
        TempData["Status"] = "Sent. They will see what you wrote.";
        return Redirect($"/shares/{id}");
    }

    private async Task<IActionResult> ShowAgainAsync(Guid id, FieldErrors? errors, CancellationToken ct)
    {
        if (await shares.GetAsync(UserId, id, ct) is not { Role: "reader" } s) return NotFound();
        Share = s;
        if (errors is not null) Show(errors);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        if (!await shares.RevokeAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "Taken back. They can no longer see it.";
        return Redirect("/shared");
    }
}
