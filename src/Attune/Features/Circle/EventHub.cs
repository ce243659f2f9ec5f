using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Attune.Infrastructure.Observability;

namespace Attune.Features.Circle;

/// <summary>
/// Live events for signed-in people, over Server-Sent Events. Each open stream is a small
/// channel; publishing to a person writes to each of their streams. Events carry a type and an id
/// only; whoever receives one fetches what it refers to through the normal, checked routes.
/// Publishing delivers on this node at once and, when a <see cref="Relay"/> is set (PostgreSQL),
/// also hands the event to the other nodes through LISTEN/NOTIFY.
/// </summary>
public sealed class EventHub(AttuneMeters? meters = null)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Channel<string>>> _streams = new();

    /// <summary>Carries events to other nodes (set by <see cref="PostgresEventRelay"/>).</summary>
    public Action<string, string, Guid>? Relay { get; set; }

    public bool IsConnected(string userId) => _streams.TryGetValue(userId, out var s) && !s.IsEmpty;

    public int Connections => _streams.Values.Sum(s => s.Count);

    public void Publish(string userId, string type, Guid id)
    {
        Deliver(userId, type, id);
        Relay?.Invoke(userId, type, id);
    }

    /// <summary>To this node's open streams only.</summary>
    public void Deliver(string userId, string type, Guid id)
    {
        if (!_streams.TryGetValue(userId, out var streams)) return;
        var frame = $"event: {type}\ndata: {JsonSerializer.Serialize(new { id })}\n\n";
        foreach (var channel in streams.Values)
        {
            if (meters is null) channel.Writer.TryWrite(frame);
            else meters.Notice(NoticeChannel.Live, channel.Writer.TryWrite(frame));
        }
    }

    /// <summary>Streams events to one response until the client goes away.</summary>
    public async Task StreamAsync(HttpContext context, string userId, CancellationToken ct)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no"; // tell nginx not to buffer
        using var subscription = Subscribe(userId);
        var channel = subscription.Channel;
        try
        {
            await context.Response.WriteAsync(": connected\nretry: 3000\n\n", ct);
            await context.Response.Body.FlushAsync(ct);
            using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(20));
            var tick = heartbeat.WaitForNextTickAsync(ct).AsTask();
            Task<bool>? read = null;
            while (!ct.IsCancellationRequested)
            {
                read ??= channel.Reader.WaitToReadAsync(ct).AsTask();
                if (await Task.WhenAny(read, tick) == tick)
                {
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

    private void Closed() => meters?.LiveStreamsOpen.Add(-1);

    /// <summary>One open stream's channel of SSE frames; disposing it closes the stream's place in the hub.</summary>
    public Subscription Subscribe(string userId)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var id = Guid.NewGuid();
        _streams.GetOrAdd(userId, _ => new())[id] = channel;
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
            if (streams.IsEmpty) hub._streams.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Guid, Channel<string>>>(userId, streams));
        }
    }
}
