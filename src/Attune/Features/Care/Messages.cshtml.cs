using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Care;

/// <summary>The secure conversation between a person and their therapist, live both ways.</summary>
public sealed class CareMessagesModel(CareMessages messages) : SignedInPageModel
{
    [BindProperty] public string? Text { get; set; }
    public CareConversation Conversation { get; private set; } = null!;
    public string? EmptyText => "No messages yet.";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await messages.GetAsync(UserId, id, ct) is not { } c) return NotFound();
        Conversation = c;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var (message, errors) = await messages.PostAsync(UserId, id, new Infrastructure.Conversations.MessageInput(Text), ct);
        if (message is null && errors is null) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            Conversation = (await messages.GetAsync(UserId, id, ct))!;
            return Page();
        }
        return Redirect($"/care/{id}/messages#end");
    }
}
