using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Attune.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Infrastructure.Live;

/// <summary>
/// Live events for signed-in people, over Server-Sent Events. Each open stream is a small
/// channel; publishing to a person writes to each of their streams. Events carry a type and an id
/// only; whoever receives one fetches what it refers to through the normal, checked routes.
/// Publishing delivers on this node at once and, when a <see cref="Relay"/> is set (PostgreSQL),
/// also hands the event to the other nodes through LISTEN/NOTIFY.
/// Each stream belongs to a session: when the session ends (sign-out, an ended device, a new
/// password, a deleted account) its streams close on this node at once and on the others when
/// the relay brings the word; a stream also looks at its session now and then, in case the word
/// was lost. A person has at most <see cref="MaxStreamsPerPerson"/> streams open on a node.
/// Reconnects: every event is numbered by the node that published it (<see cref="Origin"/>), every
/// node keeps each person's recent events (<see cref="ReplayWindow"/>, <see cref="ReplayPerPerson"/>,
/// <see cref="ReplayPerNode"/>), and every frame's SSE <c>id</c> is a <see cref="LiveCursor"/>, so a
/// client that comes back with <c>Last-Event-ID</c> on any node is sent what it missed, in order,
/// before the live frames; when that can't be known for sure, one <c>resync</c> frame instead.
/// </summary>
public sealed partial class EventHub : IDisposable
{
    public const int MaxStreamsPerPerson = 20;
    public const string SessionEnded = "session.ended";

    /// <summary>A number its node gave out and then let go unused (a write that was rolled back), so other nodes wait for it no longer.</summary>
    public const string Void = "live.void";

    /// <summary>The frame that tells a client what it missed can't be told: fetch everything afresh.</summary>
    public const string Resync = "resync";

    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    /// <summary>How long a node keeps a person's events for a reconnect; an older <c>Last-Event-ID</c> gets <c>resync</c>.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>At most this many kept events per person on a node (older ones go first).</summary>
    public const int ReplayPerPerson = 500;

    /// <summary>At most this many kept events on a node in all (a few hundred bytes each, so some tens of MB at most).</summary>
    public const int ReplayPerNode = 100_000;

    /// <summary>A number this node gave out and hasn't used this long after a later one was, is let go (<see cref="Void"/>).</summary>
    public static readonly TimeSpan VoidAfter = TimeSpan.FromSeconds(5);

    /// <summary>A number from another node still missing this long after a later one came is taken as lost.</summary>
    public static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(15);

    /// <summary>A node not heard from for this long is forgotten (its numbers leave the cursors).</summary>
    public static readonly TimeSpan ForgetOriginAfter = TimeSpan.FromHours(1);

    private readonly IMemoryCache? _cache;
    private readonly AttuneMeters? _meters;
    private readonly TimeProvider _clock;
    private readonly ITimer _sweep;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Stream>> _streams = new();
    private readonly ConcurrentDictionary<string, Ring> _rings = new();
    private readonly ConcurrentQueue<(string UserId, Entry Entry)> _kept = new();
    private readonly ConcurrentDictionary<string, OriginState> _origins = new(StringComparer.Ordinal);
    private readonly OriginState _self;
    private long _next;
    private int _keptCount;
    private long _knowsAllSinceTicks;

    private sealed record Stream(Channel<string> Channel, Guid? SessionId, LiveCursor Cursor);

    public EventHub() : this(null, null, null) { }

    public EventHub(IMemoryCache? cache, AttuneMeters? meters = null, TimeProvider? clock = null)
    {
        _cache = cache;
        _meters = meters;
        _clock = clock ?? TimeProvider.System;
        var now = _clock.GetUtcNow();
        _knowsAllSinceTicks = now.UtcTicks;
        _self = new OriginState(Origin, 1, self: true, now);
        _origins[Origin] = _self;
        _sweep = _clock.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
    }

    /// <summary>This node's name among the nodes: the origin of the events it publishes.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Carries events to other nodes (set by <see cref="PostgresEventRelay"/>): person, type, id, extra and the event's number here (0 for none).</summary>
    public Action<string, string, Guid, LiveExtra, long>? Relay { get; set; }

    /// <summary>
    /// This node's name among the nodes, set by <see cref="PostgresEventRelay"/>; null when events stay
    /// on one node (SQLite, or the relay turned off). A <see cref="LiveBatch"/> sends its own
    /// notifications under this name.
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>Whether this node's relay is listening now (set by <see cref="PostgresEventRelay"/>): only then do its own notifications come back to it.</summary>
    public bool RelayListening { get; set; }

    // Batches written here and waiting to hear their own notifications come back, by their last number.
    private readonly ConcurrentDictionary<long, (LiveBatch Batch, DateTimeOffset At)> _echoes = new();

    /// <summary>Delivers <paramref name="batch"/> when this node's listener hears its event <paramref name="lastSeq"/> come back.</summary>
    internal long AwaitEcho(long lastSeq, LiveBatch batch)
    {
        _echoes[lastSeq] = (batch, _clock.GetUtcNow());
        return lastSeq;
    }

    /// <summary>Stops waiting for event <paramref name="lastSeq"/> to come back.</summary>
    internal void ForgetEcho(long lastSeq) => _echoes.TryRemove(lastSeq, out _);

    /// <summary>
    /// The listener heard this node's own event <paramref name="seq"/>: a batch ending with it is
    /// delivered here now, after everything committed before it (on any node) and before anything after.
    /// </summary>
    public void Echoed(long seq)
    {
        if (_echoes.TryRemove(seq, out var waiting)) waiting.Batch.OnEcho();
    }

    /// <summary>Batches this node still waits to hear back (tests).</summary>
    public int AwaitingEcho => _echoes.Count;

    public bool IsConnected(string userId) => _streams.TryGetValue(userId, out var s) && !s.IsEmpty;

    public int Connections => _streams.Values.Sum(s => s.Count);

    /// <summary>Events kept for reconnects on this node.</summary>
    public int Kept => Volatile.Read(ref _keptCount);

    /// <summary>
    /// The relay (re)started listening: events other nodes sent before now may not have reached this
    /// node, so it vouches for what it has heard only from here on.
    /// </summary>
    public void ListeningFromNow() => Interlocked.Exchange(ref _knowsAllSinceTicks, _clock.GetUtcNow().UtcTicks);

    /// <summary>An event for this person reached this node (published here or relayed): what is kept about them may be out of date.</summary>
    public event Action<string>? Delivered;

    public void Publish(string userId, string type, Guid id) => Publish(userId, type, id, LiveExtra.None);

    /// <summary>An event whose data carries ids and numbers beside its <c>id</c> (never text).</summary>
    public void Publish(string userId, string type, Guid id, LiveExtra extra)
    {
        var seq = Interlocked.Increment(ref _next);
        Deliver(userId, type, id, extra, Origin, seq);
        Relay?.Invoke(userId, type, id, extra, seq);
    }

    /// <summary>Numbers for events that will be delivered later (<see cref="LiveBatch"/>): the first of <paramref name="count"/>.</summary>
    public long Reserve(int count) => Interlocked.Add(ref _next, count) - count + 1;

    /// <summary>To this node's open streams only, numbered here and not relayed.</summary>
    public void Deliver(string userId, string type, Guid id) => Deliver(userId, type, id, LiveExtra.None);

    /// <summary>To this node's open streams only, with extra fields in the data, numbered here and not relayed.</summary>
    public void Deliver(string userId, string type, Guid id, LiveExtra extra) => Deliver(userId, type, id, extra, Origin, Interlocked.Increment(ref _next));

    /// <summary>
    /// To this node's open streams, as event <paramref name="seq"/> of <paramref name="origin"/>, kept for
    /// reconnects. A null origin (a node from before numbering) is delivered without an id and not kept.
    /// </summary>
    public void Deliver(string userId, string type, Guid id, LiveExtra extra, string? origin, long seq)
    {
        Delivered?.Invoke(userId);
        if (type == SessionEnded)
        {
            EndLocally(id);
            return;
        }
        var body = $"event: {type}\ndata: {extra.DataJson(id)}\n\n";
        if (origin is null || seq <= 0)
        {
            if (!_streams.TryGetValue(userId, out var plain)) return;
            foreach (var stream in plain.Values) Write(stream, body);
            return;
        }
        var now = _clock.GetUtcNow();
        var from = OriginOf(origin, seq, now);
        if (type != Void)
        {
            var entry = new Entry(from, seq, body, now);
            WithRing(userId, ring =>
            {
                ring.Entries.Enqueue(entry);
                _kept.Enqueue((userId, entry));
                Interlocked.Increment(ref _keptCount);
                while (ring.Entries.Count > ReplayPerPerson) Let(ring, ring.Entries.Dequeue());
                if (!_streams.TryGetValue(userId, out var streams)) return;
                foreach (var stream in streams.Values)
                {
                    if (stream.Cursor.Has(from.Name, seq)) continue; // it saw this one on another node before it came here
                    stream.Cursor.Add(from.Name, seq);
                    Write(stream, IdLine(stream.Cursor, now) + body);
                }
            });
        }
        Heard(from, seq, now);
        Evict(now);
    }

    /// <summary>
    /// Writes a frame, or, when the client has fallen too far behind to take it, ends the stream: the
    /// client reconnects with the id of the last frame it got and is sent the rest from what is kept.
    /// </summary>
    private void Write(Stream stream, string frame)
    {
        var sent = stream.Channel.Writer.TryWrite(frame);
        if (!sent) stream.Channel.Writer.TryComplete();
        _meters?.Notice(NoticeChannel.Live, sent);
    }

    /// <summary>A session has ended: its streams close here now, and on every other node through the relay.</summary>
    public void EndSession(Guid sessionId)
    {
        EndLocally(sessionId);
        Relay?.Invoke("-", SessionEnded, sessionId, LiveExtra.None, 0);
    }

    private void EndLocally(Guid sessionId)
    {
        // The node's short cache of session states forgets it too, so its other requests stop now, not in 30 s.
        _cache?.Remove(SessionCacheKey(sessionId));
        foreach (var streams in _streams.Values)
            foreach (var stream in streams.Values.Where(s => s.SessionId == sessionId))
                stream.Channel.Writer.TryComplete();
    }

    /// <summary>
    /// Streams events to one response until the client goes away or its session ends. Beyond
    /// <see cref="MaxStreamsPerPerson"/> open streams, answers 429 instead. <paramref name="stillActive"/>
    /// is asked every <see cref="RecheckEvery"/> whether the session may go on. With
    /// <paramref name="lastEventId"/> (a reconnect), what the client missed comes first.
    /// </summary>
    public async Task StreamAsync(HttpContext context, string userId, Guid? sessionId, string? lastEventId, Func<CancellationToken, Task<bool>> stillActive, CancellationToken ct)
    {
        using var subscription = Subscribe(userId, sessionId, lastEventId);
        if (subscription is null)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 429, Title = "Too many live connections.", Detail = $"Attune keeps up to {MaxStreamsPerPerson} pages live at once. Please close a few tabs." },
            });
            return;
        }
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // tell nginx not to buffer
        var channel = subscription.Channel;
        try
        {
            await context.Response.WriteAsync(": connected\nretry: 3000\n\n" + subscription.Preamble, ct);
            await context.Response.Body.FlushAsync(ct);
            using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(20));
            var tick = heartbeat.WaitForNextTickAsync(ct).AsTask();
            var nextCheck = DateTime.UtcNow + RecheckEvery;
            Task<bool>? read = null;
            while (!ct.IsCancellationRequested)
            {
                read ??= channel.Reader.WaitToReadAsync(ct).AsTask();
                if (await Task.WhenAny(read, tick) == tick)
                {
                    if (DateTime.UtcNow >= nextCheck)
                    {
                        if (!await stillActive(ct)) break;
                        nextCheck = DateTime.UtcNow + RecheckEvery;
                    }
                    // The keep-alive carries the stream's id afresh (in line with the frames), so a quiet stream's id stays young.
                    subscription.KeepAlive();
                    tick = heartbeat.WaitForNextTickAsync(ct).AsTask();
                    continue;
                }
                if (!await read) break;
                read = null;
                var sb = new StringBuilder();
                while (channel.Reader.TryRead(out var frame)) sb.Append(frame);
                await context.Response.WriteAsync(sb.ToString(), ct);
                await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Where the node's short cache of session states keeps one session, so an ended session leaves it on every node.</summary>
    public static string SessionCacheKey(Guid sessionId) => "session:" + sessionId;

    private void Closed() => _meters?.LiveStreamsOpen.Add(-1);

    /// <summary>
    /// One open stream's channel of SSE frames; disposing it closes the stream's place in the hub.
    /// Null when the person already has <see cref="MaxStreamsPerPerson"/> streams open here. Its
    /// <see cref="Subscription.Preamble"/> holds what the client missed since <paramref name="lastEventId"/>
    /// (or one <c>resync</c> frame when that can't be told from here) and an id line; the channel then
    /// holds the live frames. Both are decided under the person's lock, so nothing falls between the
    /// replay and the live frames and nothing comes twice.
    /// </summary>
    public Subscription? Subscribe(string userId, Guid? sessionId = null, string? lastEventId = null)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        var preamble = new StringBuilder();
        var id = Guid.NewGuid();
        var now = _clock.GetUtcNow();
        Evict(now);
        Subscription? subscription = null;
        WithRing(userId, ring =>
        {
            var streams = _streams.GetOrAdd(userId, _ => new());
            if (streams.Count >= MaxStreamsPerPerson) return;
            var cursor = lastEventId is null ? null : ReplayFrom(ring, lastEventId, now);
            var stream = new Stream(channel, sessionId, cursor ?? new LiveCursor());
            if (cursor is null)
            {
                // A fresh start: what is kept here came before the page's own load.
                foreach (var e in ring.Entries) stream.Cursor.Add(e.Origin.Name, e.Seq);
                preamble.Append(IdLine(stream.Cursor, now)).Append(lastEventId is null ? "\n" : $"event: {Resync}\ndata: {{}}\n\n");
            }
            else
            {
                foreach (var e in ring.Entries.Where(e => !cursor.Has(e.Origin.Name, e.Seq)).ToList())
                {
                    // Each replayed frame's id counts only what has been sent so far, so a drop midway loses nothing.
                    stream.Cursor.Add(e.Origin.Name, e.Seq);
                    stream.Cursor.At = now;
                    preamble.Append("id: ").Append(stream.Cursor.Format()).Append('\n').Append(e.Body);
                }
                preamble.Append(IdLine(stream.Cursor, now)).Append('\n');
            }
            streams[id] = stream;
            subscription = new Subscription(this, userId, id, channel, preamble.ToString());
        });
        if (subscription is not null) _meters?.LiveStreamsOpen.Add(1);
        return subscription;
    }


    public sealed class Subscription(EventHub hub, string userId, Guid id, Channel<string> channel, string preamble) : IDisposable
    {
        /// <summary>The live frames, after <see cref="Preamble"/>.</summary>
        public Channel<string> Channel => channel;

        /// <summary>What goes first: the frames the client missed (or one <c>resync</c>), then an id line with where the stream starts.</summary>
        public string Preamble => preamble;

        /// <summary>An id line with the stream's cursor as it is now, queued behind the frames already waiting.</summary>
        public void KeepAlive()
        {
            if (!hub._streams.TryGetValue(userId, out var streams) || !streams.TryGetValue(id, out var stream)) return;
            hub.WithRing(userId, _ => hub.Write(stream, hub.IdLine(stream.Cursor, hub._clock.GetUtcNow()) + "\n"));
        }

        public void Dispose()
        {
            if (!hub._streams.TryGetValue(userId, out var streams)) return;
            if (streams.TryRemove(id, out _)) hub.Closed();
            if (streams.IsEmpty) hub._streams.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Guid, Stream>>(userId, streams));
            if (hub._rings.TryGetValue(userId, out var ring))
                lock (ring)
                    if (!ring.Retired) hub.RetireIfEmpty(userId, ring);
        }
    }

    public void Dispose() => _sweep.Dispose();
}
