using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Live;

/// <summary>
/// Live events that belong to one database write and must reach every node in the order of the
/// writes. On PostgreSQL the notifications go out on the write's own transaction, so other nodes
/// receive them when it commits, in commit order; on this node they are delivered after the commit
/// (<see cref="DeliverHere"/>) by whoever holds the lock that ordered the writes. Without a relay
/// (SQLite, or one node) only the local delivery happens.
/// </summary>
public sealed class LiveBatch(EventHub hub)
{
    private readonly List<(string UserId, string Type, Guid Id, LiveExtra Extra)> _events = [];
    private long _first;

    public int Count => _events.Count;

    public void Add(string userId, string type, Guid id, LiveExtra extra = default) => _events.Add((userId, type, id, extra));

    /// <summary>
    /// Queues the notifications on <paramref name="db"/>'s open transaction; they leave when it commits.
    /// Their numbers are taken here, so every node knows them by the same ones; if the write is rolled
    /// back, the hub lets the numbers go after a few seconds (<see cref="EventHub.VoidAfter"/>).
    /// </summary>
    public async Task NotifyInTransactionAsync(DbContext db, CancellationToken ct)
    {
        if (hub.NodeId is not { } node || _events.Count == 0) return;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Live notifications are sent inside the write's transaction.");
        _first = hub.Reserve(_events.Count);
        var payloads = _events.Select((e, i) => PostgresEventRelay.Payload(node, e.UserId, e.Type, e.Id, e.Extra, _first + i)).ToArray();
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({PostgresEventRelay.ChannelName}, p) FROM unnest({payloads}) AS p", ct);
    }

    /// <summary>To this node's streams, in the order added, under the numbers the other nodes got. Call after the commit.</summary>
    public void DeliverHere()
    {
        if (_events.Count == 0) return;
        var first = _first > 0 ? _first : hub.Reserve(_events.Count);
        for (var i = 0; i < _events.Count; i++)
        {
            var e = _events[i];
            hub.Deliver(e.UserId, e.Type, e.Id, e.Extra, hub.Origin, first + i);
        }
    }
}
