using System.Collections.Concurrent;
using Attune.Infrastructure.Crypto;

namespace Attune.Features.Groups.Room;

/// <summary>
/// Each room's state as this node last wrote or read it, keyed by meeting id, so a room event
/// need not read and parse the room's row before deciding. It is only ever a guess: an event
/// decided on it is saved with <c>… WHERE Version = v</c> (the row's concurrency token), and when
/// another node has written since, no row matches, the entry is dropped and the event is decided
/// again on the row as it is. A refusal is never answered from it either (the service looks again
/// at the row first). Read and written only under the room's lock (<see cref="RoomLocks"/>).
/// </summary>
public sealed class RoomCache
{
    /// <summary>The room row's columns as saved, with its state already parsed.</summary>
    public sealed record Entry(Guid GroupId, long Version, RoomState State, Sealed? Prompt, DateTime? OpenedAt, DateTime? ClosedAt, string? CloseReason)
    {
        /// <summary>A row to attach as unchanged, so saving it updates only what the event changed, where the version is still this one.</summary>
        public GroupRoom ToRow(Guid meetingId) => new()
        {
            MeetingId = meetingId,
            GroupId = GroupId,
            Version = Version,
            State = "",
            Prompt = Prompt,
            OpenedAt = OpenedAt,
            ClosedAt = ClosedAt,
            CloseReason = CloseReason,
        };

        public static Entry Of(GroupRoom row, RoomState state) =>
            new(row.GroupId, row.Version, state, row.Prompt, row.OpenedAt, row.ClosedAt, row.CloseReason);
    }

    // A closed room takes no more events; its entry goes when it closes, so the cache holds open rooms only.
    private readonly ConcurrentDictionary<Guid, Entry> _rooms = new();

    public Entry? Get(Guid meetingId) => _rooms.TryGetValue(meetingId, out var entry) ? entry : null;

    // Rooms that never close (a meeting nobody ended) would otherwise stay; past this many the copies start over.
    private const int MaxRooms = 10_000;

    public void Set(Guid meetingId, Entry entry)
    {
        if (_rooms.Count >= MaxRooms) _rooms.Clear();
        if (entry.ClosedAt is null) _rooms[meetingId] = entry;
        else _rooms.TryRemove(meetingId, out _);
    }

    public void Forget(Guid meetingId) => _rooms.TryRemove(meetingId, out _);
}
