using Microsoft.AspNetCore.Mvc;

namespace Attune.Features.Circle;

/// <summary>A live conversation opened by "I'm here": messages in order, a box to write, and a way to close it for both.</summary>
public sealed class ThreadModel(Threads threads, Reaches reaches) : CirclePageModel
{
    [BindProperty] public string? Text { get; set; }

    public ThreadDto Thread { get; private set; } = null!;

    /// <summary>The reach this conversation began with (its words, if any), so it starts where it began.</summary>
    public ReachDto? Began { get; private set; }

    private async Task LoadAsync(ThreadDto t, CancellationToken ct)
    {
        Thread = t;
        Began = t.ReachId is { } reachId ? await reaches.GetAsync(UserId, reachId, markSeen: false, ct) : null;
    }

    /// <summary>Before the first message: encouragement for whoever is reading, in their own place in it.</summary>
    public string? EmptyText => Thread.Role == "supporter"
        ? "No messages yet. You could start simply, with something like \"I'm here. Take your time.\""
        : $"No messages yet. {Thread.With} said they're here. Write whenever you're ready; a few words is plenty, and you don't have to explain.";

    /// <summary>Set when the conversation isn't there (closed, or the relationship ended): the page says so kindly, still as a 404.</summary>
    public bool Gone { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await threads.GetAsync(UserId, id, ct) is not { } t)
        {
            Gone = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        await LoadAsync(t, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var (message, errors) = await threads.PostAsync(UserId, id, new Infrastructure.Conversations.MessageInput(Text), ct);
        if (message is null && errors is null) return NotFound();
        if (errors is not null)
        {
            Show(errors);
            await LoadAsync((await threads.GetAsync(UserId, id, ct))!, ct);
            return Page();
        }
        return Redirect($"/threads/{id}#end");
    }

    public async Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct)
    {
        if (!await threads.CloseAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "The conversation is closed and its messages are deleted, for you both.";
        return Redirect("/shared");
    }
}
