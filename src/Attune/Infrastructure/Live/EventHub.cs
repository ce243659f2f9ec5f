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
/// </summary>
public sealed class EventHub(IMemoryCache? cache = null, AttuneMeters? meters = null)
{
    public const int MaxStreamsPerPerson = 20;
    public const string SessionEnded = "session.ended";
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Stream>> _streams = new();

    private sealed record Stream(Channel<string> Channel, Guid? SessionId);

    public EventHub() : this(null, null) { }

    /// <summary>Carries events to other nodes (set by <see cref="PostgresEventRelay"/>).</summary>
    public Action<string, string, Guid, LiveExtra>? Relay { get; set; }

    /// <summary>
    /// This node's name among the nodes, set by <see cref="PostgresEventRelay"/>; null when events stay
    /// on one node (SQLite, or the relay turned off). A <see cref="LiveBatch"/> sends its own
    /// notifications under this name.
    /// </summary>
    public string? NodeId { get; set; }

    public bool IsConnected(string userId) => _streams.TryGetValue(userId, out var s) && !s.IsEmpty;

    public int Connections => _streams.Values.Sum(s => s.Count);

    public void Publish(string userId, string type, Guid id) => Publish(userId, type, id, LiveExtra.None);

    /// <summary>An event whose data carries ids and numbers beside its <c>id</c> (never text).</summary>
    public void Publish(string userId, string type, Guid id, LiveExtra extra)
    {
        Deliver(userId, type, id, extra);
        Relay?.Invoke(userId, type, id, extra);
    }

    /// <summary>To this node's open streams only.</summary>
    public void Deliver(string userId, string type, Guid id) => Deliver(userId, type, id, LiveExtra.None);

    /// <summary>To this node's open streams only, with extra fields in the data.</summary>
    public void Deliver(string userId, string type, Guid id, LiveExtra extra)
    {
        if (type == SessionEnded)
        {
            EndLocally(id);
            return;
        }
        if (!_streams.TryGetValue(userId, out var streams)) return;
        var frame = $"event: {type}\ndata: {extra.DataJson(id)}\n\n";
        foreach (var stream in streams.Values)
        {
            if (meters is null) stream.Channel.Writer.TryWrite(frame);
            else meters.Notice(NoticeChannel.Live, stream.Channel.Writer.TryWrite(frame));
        }
    }

    /// <summary>A session has ended: its streams close here now, and on every other node through the relay.</summary>
    public void EndSession(Guid sessionId)
    {
        EndLocally(sessionId);
        Relay?.Invoke("-", SessionEnded, sessionId, LiveExtra.None);
    }

    private void EndLocally(Guid sessionId)
    {
        // The node's short cache of session states forgets it too, so its other requests stop now, not in 30 s.
        cache?.Remove(SessionCacheKey(sessionId));
        foreach (var streams in _streams.Values)
            foreach (var stream in streams.Values.Where(s => s.SessionId == sessionId))
                stream.Channel.Writer.TryComplete();
    }

    /// <summary>
    /// Streams events to one response until the client goes away or its session ends. Beyond
    /// <see cref="MaxStreamsPerPerson"/> open streams, answers 429 instead. <paramref name="stillActive"/>
    /// is asked every <see cref="RecheckEvery"/> whether the session may go on.
    /// </summary>
    public async Task StreamAsync(HttpContext context, string userId, Guid? sessionId, Func<CancellationToken, Task<bool>> stillActive, CancellationToken ct)
    {
        using var subscription = Subscribe(userId, sessionId);
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
            await context.Response.WriteAsync(": connected\nretry: 3000\n\n", ct);
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
                    await context.Response.WriteAsync(": keep-alive\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
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

    private void Closed() => meters?.LiveStreamsOpen.Add(-1);

    /// <summary>
    /// One open stream's channel of SSE frames; disposing it closes the stream's place in the hub.
    /// Null when the person already has <see cref="MaxStreamsPerPerson"/> streams open here.
    /// </summary>
    public Subscription? Subscribe(string userId, Guid? sessionId = null)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var id = Guid.NewGuid();
        var streams = _streams.GetOrAdd(userId, _ => new());
        lock (streams)
        {
            if (streams.Count >= MaxStreamsPerPerson) return null;
            streams[id] = new Stream(channel, sessionId);
        }
        meters?.LiveStreamsOpen.Add(1);
        return new Subscription(this, userId, id, channel);
    }

    public sealed class Subscription(EventHub hub, string userId, Guid id, Channel<string> channel) : IDisposable
    {
        public Channel<string> Channel => channel;

        public void Dispose()
        {
            if (!hub._streams.TryGetValue(userId, out var streams)) return;
            if (streams.TryRemove(id, out _)) hub.Closed();
            if (streams.IsEmpty) hub._streams.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Guid, Stream>>(userId, streams));
        }
    }
}
