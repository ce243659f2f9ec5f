using System.Threading.Channels;
using Npgsql;

namespace Attune.Infrastructure.Live;

/// <summary>
/// Carries live events between nodes on PostgreSQL: each node LISTENs on one channel, and every
/// event published on a node is also sent with NOTIFY (its payload is the node's id with the event's
/// number there, the person's id, the event type and the item id; never any text). A node delivers what other nodes send to
/// its own open streams, and skips its own (already delivered). If the listening connection drops,
/// it reconnects with a growing wait; events sent meanwhile are missed here: the gap in their
/// numbers is seen, and a client reconnecting from before it is told to resync rather than sent
/// an incomplete replay (<see cref="EventHub"/>).
/// It also carries "forget this person's cached profile" (<see cref="PersonProfiles"/>) and "forget
/// this person's copies of pages" (<see cref="PersonSnapshots"/>) from the node that saved a change
/// to every other node.
/// </summary>
public sealed class PostgresEventRelay : BackgroundService
{
    public const string ChannelName = "attune_events";

    private readonly string _connectionString;
    private readonly EventHub _hub;
    private readonly ILogger<PostgresEventRelay> _logger;
    private readonly string _node;
    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private const string ProfileChanged = "profile.changed", SnapshotsChanged = "snapshots.changed";

    public PostgresEventRelay(string connectionString, EventHub hub, ILogger<PostgresEventRelay> logger, PersonProfiles? profiles = null, PersonSnapshots? snapshots = null)
    {
        _connectionString = connectionString;
        _hub = hub;
        _logger = logger;
        _node = hub.Origin;
        hub.NodeId = _node;
        hub.Relay = (userId, type, id, extra, seq) => _outbox.Writer.TryWrite(Payload(_node, userId, type, id, extra, seq));
        _profiles = profiles;
        if (profiles is not null) profiles.Relay = userId => _outbox.Writer.TryWrite($"{_node}|{userId}|{ProfileChanged}|{Guid.Empty}");
        _snapshots = snapshots;
        if (snapshots is not null) snapshots.Relay = userId => _outbox.Writer.TryWrite($"{_node}|{userId}|{SnapshotsChanged}|{Guid.Empty}");
    }

    private readonly PersonProfiles? _profiles;
    private readonly PersonSnapshots? _snapshots;

    /// <summary>Completes once this node is listening (tests wait on it).</summary>
    public Task Listening => _listening.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(250);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection)) await listen.ExecuteNonQueryAsync(ct);
                // Events sent before now may have passed this node by: it vouches for replays from here on.
                _hub.ListeningFromNow();
                _hub.RelayListening = true;
                _listening.TrySetResult();
                wait = TimeSpan.FromMilliseconds(250);
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { _hub.RelayListening = false; return; }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException or IOException)
            {
                _hub.RelayListening = false;
                _logger.LogWarning("Live events between nodes paused ({Type}); reconnecting in {Wait} ms.", e.GetType().Name, (int)wait.TotalMilliseconds);
                try { await Task.Delay(wait, ct); } catch (OperationCanceledException) { return; }
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>
    /// One notification: <c>node.number|person|type|id</c>, and <c>|extra</c> (ids and numbers, <see cref="LiveExtra"/>)
    /// only when there is any. A node from before numbering reads <c>node.number</c> as a node's name
    /// (not its own, so it delivers), and one from before extras still reads every event it knows.
    /// Without a number (<paramref name="seq"/> 0: session and profile news) the first part is the node alone.
    /// </summary>
    public static string Payload(string node, string userId, string type, Guid id, LiveExtra extra, long seq = 0)
    {
        var from = seq > 0 ? $"{node}.{seq}" : node;
        return extra.IsEmpty ? $"{from}|{userId}|{type}|{id}" : $"{from}|{userId}|{type}|{id}|{extra}";
    }

    /// <summary>
    /// Reads 4 parts (the old form) or 5; an extra that isn't plain ids and numbers drops the event.
    /// An event without a number (from a node of the old code) is delivered without an id and not kept for replays.
    /// </summary>
    internal void Receive(string payload)
    {
        var parts = payload.Split('|', 5);
        if (parts.Length is not (4 or 5) || !Guid.TryParse(parts[3], out var id)) return;
        var dot = parts[0].IndexOf('.', StringComparison.Ordinal);
        var origin = dot < 0 ? parts[0] : parts[0][..dot];
        long seq = 0;
        if (dot >= 0 && (!LiveCursor.IsOrigin(origin) || !long.TryParse(parts[0].AsSpan(dot + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seq) || seq <= 0)) return;
        if (origin == _node)
        {
            // Our own, back in commit order: a batch written here waiting for it is delivered here now.
            if (seq > 0) _hub.Echoed(seq);
            return;
        }
        if (!LiveExtra.TryParse(parts.Length == 5 ? parts[4] : null, out var extra)) return;
        if (parts[2] == ProfileChanged) _profiles?.ForgetHere(parts[1]);
        else if (parts[2] == SnapshotsChanged) _snapshots?.ForgetHere(parts[1]);
        else _hub.Deliver(parts[1], parts[2], id, extra, seq > 0 ? origin : null, seq);
    }

    /// <summary>Sends queued events, several per round trip when they come in bursts.</summary>
    private async Task SendAsync(CancellationToken ct)
    {
        NpgsqlConnection? connection = null;
        var batch = new List<string>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(ct))
            {
                while (batch.Count < 100 && _outbox.Reader.TryRead(out var payload)) batch.Add(payload);
                try
                {
                    if (connection is null)
                    {
                        connection = new NpgsqlConnection(_connectionString);
                        await connection.OpenAsync(ct);
                    }
                    await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, p) FROM unnest(@payloads) AS p", connection);
                    command.Parameters.AddWithValue("channel", ChannelName);
                    command.Parameters.AddWithValue("payloads", batch.ToArray());
                    await command.ExecuteNonQueryAsync(ct);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException or IOException)
                {
                    _logger.LogWarning("Could not send live events to other nodes ({Type}); {Count} dropped.", e.GetType().Name, batch.Count);
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }
}
