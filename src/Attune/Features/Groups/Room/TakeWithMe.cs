using Attune.Data;
using Attune.Features.Journal;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>
/// "What I take with me": one of my own shares in a room, saved privately to my journal as a free
/// entry titled after the group and tagged <c>group</c>. The share is read through the room as I see
/// it, so only my own words, in a room I am in, can be saved; anyone else's share answers 404.
/// </summary>
public sealed class TakeWithMe(RoomService rooms, Journal.Journal journal, AttuneDb db)
{
    public const string Tag = "group";

    public async Task<JournalEntryDto?> SaveAsync(string userId, Guid groupId, Guid meetingId, Guid postId, CancellationToken ct = default)
    {
        if (await rooms.GetAsync(userId, groupId, meetingId, ct) is not { } room) return null;
        if (room.Posts.FirstOrDefault(p => p.Id == postId && p.Mine) is not { Text: { } text }) return null;
        var title = await db.Set<Group>().AsNoTracking().Where(g => g.Id == groupId).Select(g => g.Title).FirstAsync(ct);
        var (entry, _) = await journal.CreateAsync(userId, new JournalInput(Kind: "free", Title: $"What I take with me — {title}", Text: text, Tags: [Tag],
            Draft: false, Mood: null, PromptId: null, PracticeSessionId: null, ActivationId: null, Letter: null, Dialogue: null, Memory: null, Body: null, Drawing: null), ct);
        return entry;
    }
}
