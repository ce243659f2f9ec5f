using Attune.Infrastructure;
using System.Collections.Concurrent;
using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

/// <summary>One match: enough to sort and page without opening the entry.</summary>
public readonly record struct JournalMatch(Guid Id, DateTimeOffset CreatedAt);

/// <summary>
/// Search over one person's own entries. The database can't search sealed text, so each entry also
/// stores a sealed search text (its words, lower-cased and without accents, and its tags), written
/// with the entry. To search, the index opens those (not the whole entries) into this process's
/// memory for that one person while they use the journal: dropped after 10 idle minutes, and at
/// once when the account is deleted; nothing decrypted is written to disk. On every query it asks
/// the database for (id, version) of the person's entries and opens only what changed, so it is
/// never stale, even with several app instances. Whole entries are opened only for the page shown.
/// </summary>
public sealed class JournalIndex(TimeProvider clock) : IPersonCache
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private const int MaxPeople = 500;
    private const char TagSeparator = '\u001f', TextSeparator = '\u001e';

    private sealed record Doc(Guid Id, int Version, string Kind, DateTimeOffset CreatedAt, bool Parked, string[] Tags, string Search);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore has no wait handle unless AvailableWaitHandle is used; it lives as long as the index.")]
    private sealed class PersonIndex
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public Dictionary<Guid, Doc> Docs = [];
        public Dictionary<Guid, (int Version, JournalEntryDto Entry)> Entries = [];
        public DateTimeOffset LastUsed;
    }

    private readonly ConcurrentDictionary<string, PersonIndex> _people = new(StringComparer.Ordinal);

    public void Forget(string userId) => _people.TryRemove(userId, out _);

    /// <summary>What an entry's search text holds: its tags, then every piece of its text, normalised.</summary>
    public static string SearchText(IEnumerable<string> tags, IEnumerable<string?> texts) =>
        string.Join(TagSeparator, tags) + TextSeparator + TextFold.Fold(string.Join('\n', texts.Where(t => t is not null)));

    /// <summary>Matching entries, newest first, as ids and dates only.</summary>
    public async Task<List<JournalMatch>> MatchAsync(AttuneDb db, string ownerId, JournalQuery query, CancellationToken ct = default)
    {
        var docs = await RefreshAsync(db, ownerId, ct);
        var terms = Terms(query.Q);
        IEnumerable<Doc> result = docs.Values;
        if (query.Kind is not null) result = result.Where(d => d.Kind == query.Kind);
        if (query.Tag is not null) result = result.Where(d => d.Tags.Contains(query.Tag, StringComparer.OrdinalIgnoreCase));
        if (query.From is { } from) result = result.Where(d => d.CreatedAt >= from);
        if (query.To is { } to) result = result.Where(d => d.CreatedAt <= to);
        if (query.Parked is { } parked) result = result.Where(d => d.Parked == parked);
        if (terms.Length > 0) result = result.Where(d => terms.All(t => d.Search.Contains(t, StringComparison.Ordinal)));
        return result.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Select(d => new JournalMatch(d.Id, d.CreatedAt)).ToList();
    }

    /// <summary>Matching entries, newest first (image bytes left out). Opens every match: for pages of results use <see cref="MatchAsync"/>.</summary>
    public async Task<List<JournalEntryDto>> FindAsync(AttuneDb db, Journal journal, string ownerId, JournalQuery query, CancellationToken ct = default) =>
        await EntriesAsync(db, journal, ownerId, (await MatchAsync(db, ownerId, query, ct)).Select(m => m.Id).ToList(), ct);

    /// <summary>The entries with these ids, in this order (image bytes left out), opened once per version.</summary>
    public async Task<List<JournalEntryDto>> EntriesAsync(AttuneDb db, Journal journal, string ownerId, IReadOnlyList<Guid> ids, CancellationToken ct = default)
    {
        var person = _people.GetOrAdd(ownerId, _ => new PersonIndex());
        await person.Lock.WaitAsync(ct);
        try
        {
            var missing = ids.Where(id => !person.Docs.TryGetValue(id, out var d) || !person.Entries.TryGetValue(id, out var e) || e.Version != d.Version).ToList();
            foreach (var chunk in missing.Chunk(500))
            {
                var rows = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).Where(e => chunk.Contains(e.Id))
                    .Select(e => new JournalEntry
                    {
                        Id = e.Id,
                        OwnerId = e.OwnerId,
                        Kind = e.Kind,
                        CreatedAt = e.CreatedAt,
                        UpdatedAt = e.UpdatedAt,
                        Version = e.Version,
                        Draft = e.Draft,
                        Parked = e.Parked,
                        Valence = e.Valence,
                        Energy = e.Energy,
                        PromptId = e.PromptId,
                        PracticeSessionId = e.PracticeSessionId,
                        Content = e.Content,
                        ImageType = e.ImageType,
                    }).ToListAsync(ct);
                foreach (var row in rows) person.Entries[row.Id] = (row.Version, journal.ToDto(row, await journal.ContentAsync(row, ct), null, withImage: false));
            }
            return ids.Where(person.Entries.ContainsKey).Select(id => person.Entries[id].Entry).ToList();
        }
        finally
        {
            person.Lock.Release();
        }
    }

    /// <summary>The person's tags, most used first.</summary>
    public async Task<List<string>> TagsAsync(AttuneDb db, string ownerId, CancellationToken ct = default) =>
        (await RefreshAsync(db, ownerId, ct)).Values.SelectMany(d => d.Tags).GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.Key).ToList();

    public static string[] Terms(string? q) =>
        string.IsNullOrWhiteSpace(q) ? [] : TextFold.Fold(q).Split([' ', '\t', '\n', ',', '.', '"'], StringSplitOptions.RemoveEmptyEntries);

    private async Task<Dictionary<Guid, Doc>> RefreshAsync(AttuneDb db, string ownerId, CancellationToken ct)
    {
        var person = _people.GetOrAdd(ownerId, _ => new PersonIndex());
        await person.Lock.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (now - person.LastUsed > Idle) (person.Docs, person.Entries) = ([], []);
            person.LastUsed = now;
            var columns = db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId)
                .Select(e => new { e.Id, e.Version, e.Kind, e.CreatedAt, e.Parked, e.SearchText });
            var next = new Dictionary<Guid, Doc>();
            var load = new List<(Guid Id, int Version, string Kind, DateTime CreatedAt, bool Parked, Infrastructure.Crypto.Sealed SearchText)>();
            if (person.Docs.Count == 0)
            {
                // Nothing held yet: one query reads every entry's search text.
                foreach (var r in await columns.ToListAsync(ct)) load.Add((r.Id, r.Version, r.Kind, r.CreatedAt, r.Parked, r.SearchText));
            }
            else
            {
                var current = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).Select(e => new { e.Id, e.Version }).ToListAsync(ct);
                var changed = new List<Guid>();
                foreach (var c in current)
                {
                    if (person.Docs.TryGetValue(c.Id, out var d) && d.Version == c.Version) next[c.Id] = d;
                    else changed.Add(c.Id);
                }
                foreach (var chunk in changed.Chunk(500))
                {
                    var ids = chunk.ToList();
                    foreach (var r in await columns.Where(e => ids.Contains(e.Id)).ToListAsync(ct)) load.Add((r.Id, r.Version, r.Kind, r.CreatedAt, r.Parked, r.SearchText));
                }
            }
            var texts = await db.Vault.OpenManyAsync(db, ownerId, JournalEntry.Table, Journal.SearchField, load.Select(r => (r.Id.ToString(), r.SearchText)).ToList(), ct);
            for (var i = 0; i < load.Count; i++)
            {
                var r = load[i];
                var split = texts[i].IndexOf(TextSeparator, StringComparison.Ordinal);
                var tags = split <= 0 ? [] : texts[i][..split].Split(TagSeparator);
                next[r.Id] = new Doc(r.Id, r.Version, r.Kind, new DateTimeOffset(r.CreatedAt), r.Parked, tags, texts[i][(split + 1)..]);
            }
            person.Docs = next;
            foreach (var gone in person.Entries.Keys.Where(id => !next.ContainsKey(id)).ToList()) person.Entries.Remove(gone);
            Trim();
            return next;
        }
        finally
        {
            person.Lock.Release();
        }
    }

    private void Trim()
    {
        if (_people.Count <= MaxPeople) return;
        var cutoff = clock.GetUtcNow() - Idle;
        foreach (var (id, p) in _people)
            if (p.LastUsed < cutoff) _people.TryRemove(id, out _);
    }
}
