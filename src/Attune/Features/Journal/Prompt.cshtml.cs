namespace Attune.Features.Journal;

/// <summary>"Give me a prompt."</summary>
public sealed class PromptModel(PromptSuggestions suggestions) : JournalPageModel
{
    public JournalPrompt Suggestion { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Suggestion = await suggestions.SuggestAsync(UserId, ct);
}
