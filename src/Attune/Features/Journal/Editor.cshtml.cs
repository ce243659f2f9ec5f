using Attune.Data;
using Attune.Features.Safety;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

/// <summary>
/// The editor for every kind. With an id it edits that entry (someone else's answers 404);
/// without, it starts a new one of the given kind, and offers to continue an unfinished draft.
/// The editor's script saves as the person writes, to <see cref="OnPostSaveAsync"/>.
/// </summary>
[RequestSizeLimit(JournalApi.MaxRequestBytes)]
public sealed class EditorModel(Journal journal, Prompts prompts, CrisisResources crisis, AttuneDb db, Safety.IReachOffers offers) : JournalPageModel
{
    public JournalEntryDto? Entry { get; private set; }
    public string Kind { get; private set; } = "";
    public JournalPrompt? Prompt { get; private set; }
    public JournalEntryDto? UnfinishedDraft { get; private set; }
    public CrisisAnswer Crisis { get; private set; } = null!;
    /// <summary>For the crisis note: whether anyone in the circle can be reached in one tap.</summary>
    public Safety.ReachOffer Offer { get; private set; } = new(0);
    public Guid? PracticeSessionId { get; private set; }
    /// <summary>The logged reaction this entry is written from (the in-the-moment flow's "write to your younger self").</summary>
    public Guid? ActivationId { get; private set; }
    /// <summary>For a letter written from a reaction: the age the person felt.</summary>
    public int? SuggestedAge { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? kind, Guid? id, [FromQuery(Name = "prompt")] string? promptId, [FromQuery(Name = "practiceSession")] Guid? practiceSession,
        [FromQuery(Name = "activation")] Guid? activation, bool fresh, CancellationToken ct)
    {
        if (id is { } entryId)
        {
            if (await journal.GetAsync(UserId, entryId, ct) is not { } entry) return NotFound();
            (Entry, Kind) = (entry, entry.Kind);
            Prompt = prompts.Find(entry.PromptId);
        }
        else
        {
            if (kind is null || !EntryKinds.All.Contains(kind)) return NotFound();
            Kind = kind;
            if (kind == EntryKinds.Prompted)
            {
                Prompt = prompts.Find(promptId);
                if (Prompt is null) return RedirectToPage("/Journal/Prompt");
            }
            PracticeSessionId = practiceSession;
            if (activation is { } activationId && await db.Set<Activations.Activation>().AsNoTracking().Where(a => a.OwnerId == UserId && a.Id == activationId)
                    .Select(a => new { a.FeltAge }).FirstOrDefaultAsync(ct) is { } linked)
                (ActivationId, SuggestedAge, fresh) = (activationId, linked.FeltAge, true);
            if (!fresh)
            {
                var draftRow = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(UserId).Where(e => e.Draft && e.Kind == kind)
                    .OrderByDescending(e => e.UpdatedAt).Select(e => e.Id).FirstOrDefaultAsync(ct);
                if (draftRow != Guid.Empty) UnfinishedDraft = await journal.GetAsync(UserId, draftRow, ct);
            }
        }
        Zone = await Me.ZoneAsync(ct);
        Crisis = crisis.For(await Me.CountryAsync(ct));
        Offer = await offers.OfferAsync(UserId, ct);
        return Page();
    }

    /// <summary>Autosave and save: JSON in the API's shape, answered with the saved entry or a problem naming the field.</summary>
    public async Task<IActionResult> OnPostSaveAsync(Guid? id, [FromBody] JournalInput? input, CancellationToken ct)
    {
        if (input is null) return new Infrastructure.Web.FieldErrors().Add("body", "Please send the entry as JSON.").ToPageProblem();
        var (entry, errors) = id is { } entryId ? await journal.UpdateAsync(UserId, entryId, input, ct) : await journal.CreateAsync(UserId, input, ct);
        if (errors is not null) return errors.ToPageProblem();
        return entry is null ? NotFound() : new JsonResult(entry with { Drawing = entry.Drawing is null ? null : new DrawingPart(null), Letter = entry.Letter is null ? null : entry.Letter with { Photo = null } });
    }
}
