namespace Attune.Infrastructure.Live;

/// <summary>
/// The hub's memory for reconnects: each person's recent events (a ring), each node's event numbers
/// as heard here, and working out from a Last-Event-ID what a returning client missed.
/// </summary>
public sealed partial class EventHub
{
    /// <summary>One published event as kept for reconnects: its number and its frame without the id line.</summary>
    private sealed class Entry(OriginState origin, long seq, string body, DateTimeOffset at)
    {
        public OriginState Origin => origin;
        public long Seq => seq;
        public string Body => body;
        public DateTimeOffset At => at;
        public bool Gone { get; set; }
    }

    /// <summary>A person's kept events, oldest first, and per origin the highest number let go from them.</summary>
    private sealed class Ring
    {
        public Queue<Entry> Entries { get; } = new();
        public Dictionary<string, long> Trims { get; } = new(StringComparer.Ordinal);
        public bool Retired { get; set; }
    }

    /// <summary>
    /// What this node has heard from one origin: every number up to <see cref="Through"/>, and those in
    /// <see cref="Above"/>; below <see cref="Floor"/> events may be missing here (never heard, lost, or let go).
    /// </summary>
    private sealed class OriginState(string name, long first, bool self, DateTimeOffset now)
    {
        public string Name => name;
        public bool Self => self;
        public long Through { get; set; } = first - 1;
        public long Floor { get; set; } = first - 1;
        public SortedSet<long> Above { get; } = [];
        public DateTimeOffset LastHeard { get; set; } = now;
        public DateTimeOffset? GapSince { get; set; }
    }

    private string IdLine(LiveCursor cursor, DateTimeOffset now)
    {
        foreach (var o in _origins.Values)
            lock (o) cursor.Raise(o.Name, o.Through);
        cursor.At = now;
        return "id: " + cursor.Format() + "\n";
    }

    private OriginState OriginOf(string name, long seq, DateTimeOffset now) =>
        _origins.TryGetValue(name, out var o) ? o : _origins.GetOrAdd(name, n => new OriginState(n, seq, self: false, now));

    private void WithRing(string userId, Action<Ring> act)
    {
        while (true)
        {
            var ring = _rings.GetOrAdd(userId, _ => new Ring());
            lock (ring)
            {
                if (ring.Retired) continue;
                act(ring);
                return;
            }
        }
    }

    /// <summary>An event leaves a person's kept events: a reconnect from before it can no longer be served from here.</summary>
    private void Let(Ring ring, Entry entry)
    {
        if (entry.Gone) return;
        entry.Gone = true;
        Interlocked.Decrement(ref _keptCount);
        ring.Trims[entry.Origin.Name] = Math.Max(ring.Trims.GetValueOrDefault(entry.Origin.Name), entry.Seq);
    }

    /// <summary>Event <paramref name="seq"/> of <paramref name="from"/> has been delivered here (or let go by its node).</summary>
    private void Heard(OriginState from, long seq, DateTimeOffset now)
    {
        List<long>? voided;
        lock (from)
        {
            if (seq > from.Through) from.Above.Add(seq);
            from.LastHeard = now;
            voided = Advance(from, now);
        }
        RelayVoids(voided);
    }

    /// <summary>
    /// Moves an origin's <c>Through</c> over what has come in order. A gap that stays open too long is
    /// closed: on this node's own numbers, by letting them go (relayed so the others stop waiting);
    /// on another's, as lost (its <c>Floor</c> rises, so a reconnect from before it gets a resync).
    /// </summary>
    private static List<long>? Advance(OriginState o, DateTimeOffset now)
    {
        List<long>? voided = null;
        while (true)
        {
            while (o.Above.Remove(o.Through + 1)) o.Through++;
            if (o.Above.Count == 0)
            {
                o.GapSince = null;
                return voided;
            }
            o.GapSince ??= now;
            if (now - o.GapSince < (o.Self ? VoidAfter : LostAfter)) return voided;
            var next = o.Above.Min;
            if (o.Self)
            {
                voided ??= [];
                for (var s = o.Through + 1; s < next; s++) voided.Add(s);
            }
            else o.Floor = Math.Max(o.Floor, next - 1);
            o.Through = next - 1;
            o.GapSince = null;
        }
    }

    private void RelayVoids(List<long>? voided)
    {
        if (voided is null || Relay is not { } relay) return;
        foreach (var s in voided) relay("-", Void, Guid.Empty, LiveExtra.None, s);
    }

    /// <summary>Lets kept events go by age and by the node's cap, oldest first.</summary>
    private void Evict(DateTimeOffset now)
    {
        while (_kept.TryPeek(out var head) && (head.Entry.Gone || now - head.Entry.At > ReplayWindow || Volatile.Read(ref _keptCount) > ReplayPerNode))
        {
            if (!_kept.TryDequeue(out var first)) return;
            if (first.Entry.Gone || !_rings.TryGetValue(first.UserId, out var ring)) continue;
            lock (ring)
            {
                if (ring.Retired) continue;
                // A person's events join the node's queue in their own order, so the oldest of the queue is the ring's first.
                if (ring.Entries.TryPeek(out var oldest) && ReferenceEquals(oldest, first.Entry)) Let(ring, ring.Entries.Dequeue());
                else Let(ring, first.Entry);
                RetireIfEmpty(first.UserId, ring);
            }
        }
    }

    /// <summary>
    /// A ring with nothing kept is forgotten (under its lock), so a node holds rings only for people with
    /// recent events; what it had let go is folded into each origin's floor first.
    /// </summary>
    private void RetireIfEmpty(string userId, Ring ring)
    {
        if (ring.Entries.Count > 0) return;
        foreach (var (name, trim) in ring.Trims)
            if (_origins.TryGetValue(name, out var o))
                lock (o) o.Floor = Math.Max(o.Floor, trim);
        ring.Retired = true;
        _rings.TryRemove(new KeyValuePair<string, Ring>(userId, ring));
    }

    /// <summary>Every couple of seconds: age out kept events, close gaps that stayed open, forget silent nodes.</summary>
    internal void Sweep()
    {
        var now = _clock.GetUtcNow();
        Evict(now);
        // A write rolled back never comes back: stop waiting for it once its numbers are let go.
        foreach (var (seq, waiting) in _echoes)
            if (now - waiting.At > VoidAfter) _echoes.TryRemove(seq, out _);
        foreach (var o in _origins.Values)
        {
            List<long>? voided;
            lock (o)
            {
                voided = Advance(o, now);
                if (!o.Self && o.Above.Count == 0 && now - o.LastHeard > ForgetOriginAfter) _origins.TryRemove(new KeyValuePair<string, OriginState>(o.Name, o));
            }
            RelayVoids(voided);
        }
    }

    /// <summary>
    /// The cursor a reconnect goes on from, or null when this node cannot tell exactly what the client
    /// missed: an id it can't read, older than <see cref="ReplayWindow"/>, from before what it keeps
    /// (or heard), or naming a node it never heard of since before the id was written.
    /// </summary>
    private LiveCursor? ReplayFrom(Ring ring, string lastEventId, DateTimeOffset now)
    {
        if (!LiveCursor.TryParse(lastEventId, out var cursor) || now - cursor.At > ReplayWindow) return null;
        var knowsAllSince = new DateTimeOffset(Interlocked.Read(ref _knowsAllSinceTicks), TimeSpan.Zero);
        foreach (var name in cursor.Marks.Keys)
            if (!_origins.ContainsKey(name) && knowsAllSince > cursor.At - LostAfter) return null;
        foreach (var o in _origins.Values)
        {
            long floor, through;
            DateTimeOffset heard;
            lock (o)
            {
                floor = Math.Max(o.Floor, ring.Trims.GetValueOrDefault(o.Name));
                through = o.Through;
                heard = o.LastHeard;
            }
            if (!cursor.Marks.ContainsKey(o.Name))
            {
                // The client's nodes never heard of this one. Quiet since well before the id was written:
                // it had nothing for them since their streams began. Otherwise it is new: all of it is missed.
                if (heard < cursor.At - LostAfter)
                {
                    cursor.Raise(o.Name, through);
                    foreach (var e in ring.Entries.Where(e => e.Origin == o)) cursor.Add(o.Name, e.Seq);
                    continue;
                }
                if (floor > 0) return null;
                continue;
            }
            if (cursor.Through(o.Name) < floor) return null;
        }
        return cursor;
    }
}
