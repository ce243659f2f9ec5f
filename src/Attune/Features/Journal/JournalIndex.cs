using System.Collections.Concurrent;
using Attune.Data;
using Attune.Features.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Journal;

/// <summary>What to find: free-text terms and filters. All optional.</summary>
public sealed record JournalQuery(string? Q = null, string? Kind = null, string? Tag = null, DateTimeOffset? From = null, DateTimeOffset? To = null, bool? Parked = null);

/// <summary>
/// Search over one person's own entries. Text is sealed in the database, so the index holds each
/// person's decrypted entries in this process's memory only while they use it (10 minutes idle,
/// then dropped; dropped at once when the account is deleted). On every query it asks the
/// database for (id, version) of the person's entries and opens only what changed, so it is never
/// stale, even with several app instances. Nothing is written to disk.
/// </summary>
public sealed class JournalIndex(TimeProvider clock) : IPersonCache
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private const int MaxPeople = 500;

    private sealed class Doc(JournalEntryDto entry, string search, int version)
    {
        public JournalEntryDto Entry { get; } = entry;
        public string Search { get; } = search;
        public int Version { get; } = version;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore has no wait handle unless AvailableWaitHandle is used; it lives as long as the index.")]
    private sealed class PersonIndex
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public Dictionary<Guid, Doc> Docs = [];
        public DateTimeOffset LastUsed;
    }

    private readonly ConcurrentDictionary<string, PersonIndex> _people = new(StringComparer.Ordinal);

    public void Forget(string userId) => _people.TryRemove(userId, out _);

    /// <summary>Matching entries, newest first (image bytes left out).</summary>
    public async Task<List<JournalEntryDto>> FindAsync(AttuneDb db, Journal journal, string ownerId, JournalQuery query, CancellationToken ct = default)
    {
        var docs = await RefreshAsync(db, journal, ownerId, ct);
        var terms = Terms(query.Q);
        IEnumerable<Doc> result = docs;
        if (query.Kind is not null) result = result.Where(d => d.Entry.Kind == query.Kind);
        if (query.Tag is not null) result = result.Where(d => d.Entry.Tags.Contains(query.Tag, StringComparer.OrdinalIgnoreCase));
        if (query.From is { } from) result = result.Where(d => d.Entry.CreatedAt >= from);
        if (query.To is { } to) result = result.Where(d => d.Entry.CreatedAt <= to);
        if (query.Parked is { } parked) result = result.Where(d => (d.Entry.Memory?.Parked ?? false) == parked);
        if (terms.Length > 0) result = result.Where(d => terms.All(t => d.Search.Contains(t, StringComparison.Ordinal)));
        return result.OrderByDescending(d => d.Entry.CreatedAt).ThenByDescending(d => d.Entry.Id).Select(d => d.Entry).ToList();
    }

    /// <summary>The person's tags, most used first.</summary>
    public async Task<List<string>> TagsAsync(AttuneDb db, Journal journal, string ownerId, CancellationToken ct = default) =>
        (await RefreshAsync(db, journal, ownerId, ct)).SelectMany(d => d.Entry.Tags).GroupBy(t => t, StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase).Select(g => g.Key).ToList();

    public static string[] Terms(string? q) =>
        string.IsNullOrWhiteSpace(q) ? [] : CrisisLanguage.Normalize(q).Split([' ', '\t', '\n', ',', '.', '"'], StringSplitOptions.RemoveEmptyEntries);

    private async Task<List<Doc>> RefreshAsync(AttuneDb db, Journal journal, string ownerId, CancellationToken ct)
    {
        var person = _people.GetOrAdd(ownerId, _ => new PersonIndex());
        await person.Lock.WaitAsync(ct);
        try
        {
            var now = clock.GetUtcNow();
            if (now - person.LastUsed > Idle) person.Docs = [];
            person.LastUsed = now;
            var current = await db.Set<JournalEntry>().AsNoTracking().OwnedBy(ownerId).Select(e => new { e.Id, e.Version }).ToListAsync(ct);
            var changed = current.Where(c => !person.Docs.TryGetValue(c.Id, out var d) || d.Version != c.Version).Select(c => c.Id).ToList();
            var next = new Dictionary<Guid, Doc>(current.Count);
            foreach (var c in current)
                if (person.Docs.TryGetValue(c.Id, out var d) && d.Version == c.Version) next[c.Id] = d;
            foreach (var chunk in changed.Chunk(500))
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
                foreach (var row in rows)
                {
                    var content = await journal.ContentAsync(row, ct);
                    var search = CrisisLanguage.Normalize(string.Join('\n', Journal.TextsOf(content).Where(t => t is not null)));
                    next[row.Id] = new Doc(journal.ToDto(row, content, null, withImage: false), search, row.Version);
                }
            }
            person.Docs = next;
            Trim();
            return [.. next.Values];
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
