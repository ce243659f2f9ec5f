using System.Security.Claims;
using Attune.Data;
using Attune.Features.Safety;
using Attune.Infrastructure.Charts;
using Attune.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

/// <summary>What the journal pages share: who is signed in, and their time zone.</summary>
public abstract class JournalPageModel : SignedInPageModel
{
    public TimeZoneInfo Zone { get; protected set; } = TimeZoneInfo.Utc;

    public string Local(DateTimeOffset at, string format = "d MMM yyyy, HH:mm") =>
        TimeZoneInfo.ConvertTime(at, Zone).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The editor for every kind. With an id it edits that entry (someone else's answers 404);
/// without, it starts a new one of the given kind, and offers to continue an unfinished draft.
/// The editor's script saves as the person writes, to <see cref="OnPostSaveAsync"/>.
/// </summary>
[RequestSizeLimit(JournalApi.MaxRequestBytes)]
public sealed class EditorModel(Journal journal, Prompts prompts, CrisisResources crisis, AttuneDb db, Circle.CircleService circle) : JournalPageModel
{
    public JournalEntryDto? Entry { get; private set; }
    public string Kind { get; private set; } = "";
    public JournalPrompt? Prompt { get; private set; }
    public JournalEntryDto? UnfinishedDraft { get; private set; }
    public CrisisAnswer Crisis { get; private set; } = null!;
    /// <summary>For the crisis note: whether anyone in the circle can be reached in one tap.</summary>
    public Circle.ReachOffer Offer { get; private set; } = new(0);
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
        Offer = await circle.OfferAsync(UserId, ct);
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

/// <summary>One entry, shown the way its kind reads best. Someone else's entry answers 404.</summary>
public sealed class EntryModel(Journal journal) : JournalPageModel
{
    public JournalEntryDto Entry { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await journal.GetAsync(UserId, id, ct) is not { } entry) return NotFound();
        Entry = entry;
        Zone = await Me.ZoneAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetImageAsync(Guid id, CancellationToken ct) =>
        await journal.ImageAsync(UserId, id, ct) is { } img ? File(img.Bytes, img.ContentType) : NotFound();

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await journal.DeleteAsync(UserId, id, ct)) return NotFound();
        TempData["Status"] = "The entry is deleted.";
        return RedirectToPage("/Journal/Index");
    }
}

/// <summary>The journal: new entries, search with filters, and the person's entries newest first.</summary>
public sealed class IndexModel(AttuneDb db, Journal journal, JournalIndex index) : JournalPageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tag { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public List<JournalEntryDto> Items { get; private set; } = [];
    public List<string> Tags { get; private set; } = [];
    public string? Next { get; private set; }
    public string Summary { get; private set; } = "";
    private string[] _terms = [];

    public string NextUrl => QueryString.Create(new Dictionary<string, string?> { ["q"] = Q, ["kind"] = Kind, ["tag"] = Tag, ["from"] = From, ["to"] = To, ["cursor"] = Next }
        .Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = await Me.ZoneAsync(ct);
        Tags = await index.TagsAsync(db, UserId, ct);
        var (query, limit, after, errors) = JournalApi.ParseQuery(Q, Kind, Tag, From, To, null, 30, Cursor);
        if (errors.Any)
        {
            ModelState.AddModelError("", "Please check the dates: use the date pickers, with the start before the end.");
            return;
        }
        _terms = JournalIndex.Terms(query.Q);
        var all = await index.MatchAsync(db, UserId, query, ct);
        var (page, next) = JournalApi.PageOf(all, limit, after);
        (Items, Next) = (await index.EntriesAsync(db, journal, UserId, page.Select(m => m.Id).ToList(), ct), next);
        var filtered = query.Q is not null || query.Kind is not null || query.Tag is not null || query.From is not null || query.To is not null;
        Summary = all.Count == 0
            ? filtered ? "Nothing matches. Try fewer words or a wider date range." : "Nothing here yet. When you're ready, start with whatever feels easiest."
            : filtered ? $"{all.Count} {(all.Count == 1 ? "entry matches" : "entries match")}." : $"{all.Count} {(all.Count == 1 ? "entry" : "entries")}.";
    }

    /// <summary>A short piece of the entry's words: around the first search word when searching.</summary>
    public string Snippet(JournalEntryDto e)
    {
        var source = string.Join(" ", new[] { e.Text, e.Memory?.WhatHappened, e.Memory?.KnowNow }
            .Concat(e.Dialogue?.Turns?.Select(t => t.Text) ?? []).Where(s => !string.IsNullOrWhiteSpace(s))).ReplaceLineEndings(" ");
        if (source.Length == 0) return e.Body is { Regions.Count: > 0 } b ? string.Join(", ", b.Regions.Select(r => BodyMap.Find(r.Region)?.Name)) : "";
        var at = 0;
        if (_terms.Length > 0)
        {
            var normal = TextFold.Fold(source);
            var hit = normal.IndexOf(_terms[0], StringComparison.Ordinal);
            if (hit > 60 && normal.Length == source.Length) at = hit - 60;
        }
        var piece = source.Substring(at, Math.Min(220, source.Length - at));
        return (at > 0 ? "…" : "") + piece + (at + piece.Length < source.Length ? "…" : "");
    }
}

/// <summary>Memories by age. Parked ones show a title only.</summary>
public sealed class TimelineModel(AttuneDb db, Journal journal, JournalIndex index) : JournalPageModel
{
    public List<(int Age, List<JournalEntryDto> Entries)> ByAge { get; private set; } = [];
    public List<JournalEntryDto> NoAge { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var memories = await index.FindAsync(db, journal, UserId, new JournalQuery(Kind: EntryKinds.Memory), ct);
        ByAge = memories.Where(m => m.Memory?.Age is not null).GroupBy(m => m.Memory!.Age!.Value).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.OrderBy(e => e.CreatedAt).ToList())).ToList();
        NoAge = memories.Where(m => m.Memory?.Age is null).ToList();
    }
}

/// <summary>"Give me a prompt."</summary>
public sealed class PromptModel(PromptSuggestions suggestions) : JournalPageModel
{
    public JournalPrompt Suggestion { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Suggestion = await suggestions.SuggestAsync(UserId, ct);
}

/// <summary>The journal as Markdown files in a zip, or as one PDF.</summary>
public sealed class ExportModel(JournalExport export, ExportGate gate) : JournalPageModel
{
    public bool PdfAvailable => export.PdfAvailable;

    public void OnGet() { }

    public async Task<IActionResult> OnGetZipAsync(CancellationToken ct)
    {
        using var running = gate.TryStart(UserId);
        if (running is null) return StatusCode(StatusCodes.Status429TooManyRequests);
        return File(await export.ZipAsync(UserId, await Me.ZoneAsync(ct), ct), "application/zip", "attune-journal.zip");
    }

    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!export.PdfAvailable) return NotFound();
        using var running = gate.TryStart(UserId);
        if (running is null) return StatusCode(StatusCodes.Status429TooManyRequests);
        return File(await export.PdfAsync(UserId, await Me.ZoneAsync(ct), ct), "application/pdf", "attune-journal.pdf");
    }
}
