using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Live;

/// <summary>
/// Live events that belong to one database write and must reach every node in the order of the
/// writes. On PostgreSQL the notifications go out on the write's own transaction, so every node,
/// this one included, receives them when it commits, in commit order. This node delivers its own
/// when its listener hears them come back (<see cref="EventHub.Echoed"/>): by then it has delivered
/// everything other nodes committed before, so a write made just after another node's write never
/// overtakes it here. <see cref="DeliverHereAsync"/> waits for that (bounded by
/// <see cref="EchoWait"/>; past it, or while the listener is away, it delivers them itself). Without
/// a relay (SQLite, or one node) it delivers at once.
/// </summary>
public sealed class LiveBatch(EventHub hub)
{
    /// <summary>How long the writer waits for its own notifications to come back before delivering them itself.</summary>
    public static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(2);

    private readonly List<(string UserId, string Type, Guid Id, LiveExtra Extra)> _events = [];
    private readonly TaskCompletionSource _echoed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _first;
    private long _last;
    private int _delivered;

    public int Count => _events.Count;

    public void Add(string userId, string type, Guid id, LiveExtra extra = default) => _events.Add((userId, type, id, extra));

    /// <summary>
    /// Queues the notifications on <paramref name="db"/>'s open transaction; they leave when it commits.
    /// Their numbers are taken here, so every node knows them by the same ones; if the write is rolled
    /// back, the hub lets the numbers go after a few seconds (<see cref="EventHub.VoidAfter"/>) and
    /// forgets that it was waiting for them.
    /// </summary>
    public async Task NotifyInTransactionAsync(DbContext db, CancellationToken ct)
    {
        if (hub.NodeId is not { } node || _events.Count == 0) return;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Live notifications are sent inside the write's transaction.");
        _first = hub.Reserve(_events.Count);
        var payloads = _events.Select((e, i) => PostgresEventRelay.Payload(node, e.UserId, e.Type, e.Id, e.Extra, _first + i)).ToArray();
        // The batch's notifications arrive together, in order: the last one coming back means all of them did.
        if (hub.RelayListening) _last = hub.AwaitEcho(_first + _events.Count - 1, this);
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({PostgresEventRelay.ChannelName}, p) FROM unnest({payloads}) AS p", ct);
    }

    /// <summary>
    /// To this node's streams, in the order added, under the numbers the other nodes got. Call after
    /// the commit: it returns once they are delivered here, in commit order when the listener hears them.
    /// </summary>
    public async Task DeliverHereAsync()
    {
        if (_events.Count == 0) return;
        if (_last > 0)
        {
            try
            {
                await _echoed.Task.WaitAsync(EchoWait);
                return;
            }
            catch (TimeoutException)
            {
                hub.ForgetEcho(_last); // the listener is late or away: deliver here, once
            }
        }
        Deliver();
    }

    /// <summary>The listener heard this batch come back: deliver it now, in the listener's order.</summary>
    internal void OnEcho()
    {
        Deliver();
        _echoed.TrySetResult();
    }

    private void Deliver()
    {
        if (Interlocked.Exchange(ref _delivered, 1) != 0) return;
        var first = _first > 0 ? _first : hub.Reserve(_events.Count);
        for (var i = 0; i < _events.Count; i++)
        {
            var e = _events[i];
            hub.Deliver(e.UserId, e.Type, e.Id, e.Extra, hub.Origin, first + i);
        }
    }
}
