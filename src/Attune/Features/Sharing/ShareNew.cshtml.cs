using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Sharing;

/// <summary>Choosing whom to share one item with.</summary>
public sealed class ShareNewModel(Shares shares) : SignedInPageModel
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public string? With { get; set; }

    public SharedItemDto? Item { get; private set; }
    /// <summary>Who may be chosen: people in my circle set to see what I share, and my therapists.</summary>
    public List<ShareRecipient> People { get; private set; } = [];

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (Type is null || Id is not { } id) return false;
        Item = await shares.ItemAsync(UserId, Type, id, ct);
        if (Item is null) return false;
        People = await shares.RecipientsAsync(UserId, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var (share, existing, errors) = await shares.CreateAsync(UserId, new ShareInput(Type, Id, With), ct);
        if (errors is not null)
        {
            Show(errors);
            return Page();
        }
        TempData["Status"] = existing ? $"You had already shared this with {share!.With}." : $"Shared with {share!.With}. Only they can see it, and you can take it back at any time.";
        return Redirect($"/shares/{share.Id}");
    }
}
