using Attune.Data;
using Attune.Infrastructure;
using Attune.Infrastructure.Charts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

/// <summary>
/// The journal: new entries, search with filters, and the person's entries newest first. The first
/// page, unfiltered (what the journal opens on), is kept briefly per person (<see cref="PersonSnapshots"/>)
/// as it is shown (heading, kind, date, tags and a short piece of the words): it is made only of the
/// person's own entries, which only their own writes change, and any write of theirs drops it.
/// </summary>
public sealed class IndexModel(AttuneDb db, Journal journal, JournalIndex index, PersonSnapshots snapshots) : JournalPageModel
{
    internal const string SnapshotKind = "journal";

    /// <summary>An entry as the list shows it.</summary>
    public sealed record Listed(Guid Id, string Heading, string Kind, string Iso, string When, bool Draft, bool Parked, IReadOnlyList<string> Tags, string Snippet);

    private sealed record Snapshot(List<Listed> Items, List<string> Tags, string? Next, string Summary);

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Tag { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public List<Listed> Items { get; private set; } = [];
    public List<string> Tags { get; private set; } = [];
    public string? Next { get; private set; }
    public string Summary { get; private set; } = "";
    private string[] _terms = [];

    public string NextUrl => QueryString.Create(new Dictionary<string, string?> { ["q"] = Q, ["kind"] = Kind, ["tag"] = Tag, ["from"] = From, ["to"] = To, ["cursor"] = Next }
        .Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var opening = Q is null && Kind is null && Tag is null && From is null && To is null && Cursor is null;
        if (opening && snapshots.Get<Snapshot>(SnapshotKind, UserId, PersonSnapshotsMiddleware.WroteAt(Request)) is { } kept)
        {
            (Items, Tags, Next, Summary) = kept;
            return;
        }
        var start = snapshots.Begin(UserId);
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
        Items = (await index.EntriesAsync(db, journal, UserId, page.Select(m => m.Id).ToList(), ct))
            .Select(e => new Listed(e.Id, JournalExport.Heading(e), e.Kind, e.CreatedAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture), Local(e.CreatedAt),
                e.Draft, e.Memory?.Parked == true, e.Tags, e.Memory?.Parked == true ? "" : Snippet(e)))
            .ToList();
        Next = next;
        var filtered = query.Q is not null || query.Kind is not null || query.Tag is not null || query.From is not null || query.To is not null;
        Summary = all.Count == 0
            ? filtered ? "Nothing matches. Try fewer words or a wider date range." : "Nothing here yet. When you're ready, start with whatever feels easiest."
            : filtered ? $"{all.Count} {(all.Count == 1 ? "entry matches" : "entries match")}." : $"{all.Count} {(all.Count == 1 ? "entry" : "entries")}.";
        if (opening) snapshots.Set(SnapshotKind, start, new Snapshot(Items, Tags, Next, Summary));
    }

    /// <summary>A short piece of the entry's words: around the first search word when searching.</summary>
    private string Snippet(JournalEntryDto e)
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
