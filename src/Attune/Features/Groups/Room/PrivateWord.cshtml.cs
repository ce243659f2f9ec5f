using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Groups.Room;

/// <summary>The private word between a group's facilitator and one member, live both ways; nobody else's.</summary>
public sealed class PrivateWordModel(PrivateWords words) : SignedInPageModel
{
    [BindProperty] public string? Text { get; set; }
    public PrivateWordDto Conversation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, Guid memberId, CancellationToken ct)
    {
        if (await words.GetAsync(UserId, id, memberId, ct) is not { } c) return NotFound();
        Conversation = c;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, Guid memberId, CancellationToken ct)
    {
        var (message, errors) = await words.PostAsync(UserId, id, memberId, new MessageInput(Text), ct);
        if (message is null && errors is null) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            Conversation = (await words.GetAsync(UserId, id, memberId, ct))!;
            return Page();
        }
        return Redirect(PrivateWords.PageOf(id, memberId) + "#end");
    }
}
