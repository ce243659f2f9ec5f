using Attune.Data;
using Attune.Infrastructure.Crypto;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Attendance;

/// <summary>
/// What was said in a meeting's room: its posts (with their witness replies), the check-in and
/// check-out words, and the facilitator's own prompt. Retention deletes it, all together or not at
/// all; who came and the distress numbers stay for attendance until the group goes.
/// </summary>
internal static class RoomText
{
    public static async Task DeleteAsync(AttuneDb db, WriteGate gate, IReadOnlyCollection<Guid> meetingIds, CancellationToken ct)
    {
        if (meetingIds.Count == 0) return;
        using (await gate.EnterAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var posts = db.Set<GroupRoomPost>().Where(p => meetingIds.Contains(p.MeetingId));
            await db.Set<GroupRoomWitness>().Where(w => posts.Any(p => p.Id == w.PostId)).ExecuteDeleteAsync(ct);
            await posts.ExecuteDeleteAsync(ct);
            await db.Set<GroupRoomCheck>().Where(c => meetingIds.Contains(c.MeetingId) && c.Word != null).ExecuteUpdateAsync(s => s.SetProperty(c => c.Word, (Sealed?)null), ct);
            await db.Set<GroupRoom>().Where(r => meetingIds.Contains(r.MeetingId) && r.Prompt != null).ExecuteUpdateAsync(s => s.SetProperty(r => r.Prompt, (Sealed?)null), ct);
            await tx.CommitAsync(ct);
        }
    }
}
