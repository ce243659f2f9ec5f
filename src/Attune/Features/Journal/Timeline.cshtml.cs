using Attune.Data;

namespace Attune.Features.Journal;

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
