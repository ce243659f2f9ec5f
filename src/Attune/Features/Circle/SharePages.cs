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

/// <summary>What others shared with me, what I shared, and my conversations.</summary>
public sealed class SharedModel(Shares shares, Threads threads) : CirclePageModel
{
    public List<ShareDto> WithMe { get; private set; } = [];
    public List<ShareDto> Mine { get; private set; } = [];
    public List<ThreadSummary> Conversations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        WithMe = await shares.ListAsync(UserId, mine: false, ct);
        Mine = await shares.ListAsync(UserId, mine: true, ct);
        Conversations = await threads.ListAsync(UserId, ct);
    }
}

/// <summary>Choosing whom to share one item with.</summary>
public sealed class ShareNewModel(Shares shares, CircleService circle, Care.CareService care) : CirclePageModel
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public string? With { get; set; }

    public SharedItemDto? Item { get; private set; }
    /// <summary>Who may be chosen: people in my circle set to see what I share, and my therapists.</summary>
    public List<(string UserId, string Name)> People { get; private set; } = [];

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (Type is null || Id is not { } id || !Shares.ItemTypes.Contains(Type)) return false;
        Item = await shares.ItemAsync(UserId, Type, id, ct);
        People = (await circle.ListAsync(UserId, ct)).Supporters.Where(m => m.CanSeeShared).Select(m => (m.UserId, m.Name))
            .Concat((await care.ListAsync(UserId, ct)).Where(c => c.Role == "person" && c.Status == Care.CareStatus.Active).Select(c => (c.OtherUserId, $"{c.OtherName} (your therapist)")))
            .ToList();
        return Item is not null;
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

/// <summary>
/// One shared item. Its owner sees who read it and when, the reflections, and can take it back;
/// the person it was shared with reads it and may reflect back what they heard.
/// </summary>
public sealed class ShareViewModel(Shares shares) : CirclePageModel
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

    private async Task<IActionResult> ShowAgainAsync(Guid id, Infrastructure.Web.FieldErrors? errors, CancellationToken ct)
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
