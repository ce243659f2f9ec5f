using System.Collections.Concurrent;
using Attune.Infrastructure.Live;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Infrastructure;

/// <summary>
/// A short-lived copy, per person, of what a page gathers from many rows and that changes far less
/// often than it is read (Today: the journey, the person's people, care, groups). A copy is dropped:
/// <list type="bullet">
/// <item>when the person writes anything (any POST, PUT, PATCH or DELETE they send: <see cref="PersonSnapshotsMiddleware"/>),
/// here and, through the PostgreSQL relay, on every other node; a page the person opens right after
/// their own write (a redirect that lands on another node before the relay's message) is also never
/// served a copy older than that write, because the write's time rides along in a cookie;</item>
/// <item>when a save changes a row of a watched kind that names the person (<see cref="Watch"/>: someone
/// accepting their circle invitation, a therapist answering), here and on every other node;</item>
/// <item>when a live event is delivered for the person on this node (a reach to them, an answer, a
/// reflection, an appointment, a group room opening), which every node hears;</item>
/// <item>and after <see cref="KeepFor"/> in any case, which bounds what nothing above catches (a
/// supporter's new name, a meeting coming within the hour).</item>
/// </list>
/// Keyed by the person's id and never handed to anyone else; forgotten when the account is deleted.
/// </summary>
public sealed class PersonSnapshots : IPersonCache
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(20);

    /// <summary>How far apart two nodes' clocks may be when a write's time is compared with a copy's.</summary>
    public static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(1);

    /// <summary>The cookie that carries the time of the person's last write (a number; nothing personal): <c>__Host-</c>-prefixed over HTTPS, as the app's other cookies.</summary>
    public const string WroteCookie = "attune-wrote", SecureWroteCookie = "__Host-attune-wrote";

    private static readonly ConcurrentDictionary<Type, string[]> Watched = new();

    private readonly IMemoryCache _cache;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, byte> _kinds = new();

    // Bumped by every forget, in stripes by person: a copy read from the database before a change
    // committed must not be stored after that change's forget ran.
    private readonly long[] _generations = new long[256];

    public PersonSnapshots(IMemoryCache cache, TimeProvider clock, EventHub hub)
    {
        _cache = cache;
        _clock = clock;
        hub.Delivered += ForgetHere;
    }

    /// <summary>Sends "forget this person's copies" to the other nodes (set by the PostgreSQL event relay).</summary>
    public Action<string>? Relay { get; set; }

    /// <summary>Rows of <typeparamref name="T"/> name people in <paramref name="personProperties"/>: saving one forgets their copies.</summary>
    public static void Watch<T>(params string[] personProperties) => Watched[typeof(T)] = personProperties;

    /// <summary>Where a read for a copy begins: taken before the first query.</summary>
    public readonly record struct Start(string UserId, long Generation, DateTime At);

    public Start Begin(string userId) => new(userId, Interlocked.Read(ref _generations[Stripe(userId)]), _clock.GetUtcNow().UtcDateTime);

    /// <summary>The person's copy of <paramref name="kind"/>, unless there is none or it was read before their last write (<paramref name="wroteAt"/>).</summary>
    public T? Get<T>(string kind, string userId, DateTime? wroteAt) where T : class
    {
        if (!_cache.TryGetValue(Key(kind, userId), out Stored? stored) || stored is null) return null;
        if (wroteAt is { } wrote && stored.ReadAt - ClockSlack <= wrote) return null; // (a cookie's time may be anything: nothing added to it)
        return stored.Value as T;
    }

    /// <summary>Keeps a copy, unless something about the person was forgotten since <paramref name="start"/>.</summary>
    public void Set<T>(string kind, Start start, T value) where T : class
    {
        _kinds.TryAdd(kind, 0);
        if (Interlocked.Read(ref _generations[Stripe(start.UserId)]) != start.Generation) return;
        _cache.Set(Key(kind, start.UserId), new Stored(start.At, value), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeepFor, Size = 1 });
    }

    /// <summary>Forgets the person's copies here and on every other node.</summary>
    public void Forget(string userId)
    {
        ForgetHere(userId);
        Relay?.Invoke(userId);
    }

    /// <summary>Forgets the person's copies on this node only (what another node's message, or a live event, asks).</summary>
    public void ForgetHere(string userId)
    {
        Interlocked.Increment(ref _generations[Stripe(userId)]);
        foreach (var kind in _kinds.Keys) _cache.Remove(Key(kind, userId));
    }

    /// <summary>The people named by the watched rows this save adds, changes or deletes (null when none).</summary>
    public static HashSet<string>? PeopleIn(ChangeTracker tracker)
    {
        HashSet<string>? people = null;
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (Microsoft.EntityFrameworkCore.EntityState.Added or Microsoft.EntityFrameworkCore.EntityState.Modified or Microsoft.EntityFrameworkCore.EntityState.Deleted)) continue;
            if (!Watched.TryGetValue(entry.Metadata.ClrType, out var properties)) continue;
            foreach (var name in properties)
            {
                var property = entry.Property(name);
                if (property.CurrentValue is string now) (people ??= []).Add(now);
                if (entry.State == Microsoft.EntityFrameworkCore.EntityState.Modified && property.OriginalValue is string before) (people ??= []).Add(before);
            }
        }
        return people;
    }

    void IPersonCache.Forget(string userId) => Forget(userId);

    private static int Stripe(string userId) => (int)((uint)StringComparer.Ordinal.GetHashCode(userId) % 256);

    private static string Key(string kind, string userId) => "snapshot:" + kind + ":" + userId;

    private sealed record Stored(DateTime ReadAt, object Value);
}

/// <summary>
/// A signed-in person's write (any POST, PUT, PATCH or DELETE, whatever it changed) forgets their
/// <see cref="PersonSnapshots"/>, and a page request's answer carries the write's time in a cookie,
/// so a page opened next on any node is never older than the write.
/// </summary>
public sealed class PersonSnapshotsMiddleware(RequestDelegate next, PersonSnapshots snapshots, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)
            || Web.CurrentPerson.IdOf(context.User) is not { } userId)
        {
            await next(context);
            return;
        }
        var page = !context.Request.Path.StartsWithSegments("/api");
        context.Response.OnStarting(() =>
        {
            // By now the request's own changes are saved: forget, and say when, before the answer leaves.
            snapshots.Forget(userId);
            if (page)
                context.Response.Cookies.Append(context.Request.IsHttps ? PersonSnapshots.SecureWroteCookie : PersonSnapshots.WroteCookie,
                    clock.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    new CookieOptions { HttpOnly = true, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Lax, Path = "/", IsEssential = true });
            return Task.CompletedTask;
        });
        await next(context);
        snapshots.ForgetHere(userId); // and once more here, for anything saved while the answer was being sent
    }

    /// <summary>The time of the person's last write, from the cookie (null without one).</summary>
    public static DateTime? WroteAt(HttpRequest request) =>
        request.Cookies.TryGetValue(request.IsHttps ? PersonSnapshots.SecureWroteCookie : PersonSnapshots.WroteCookie, out var value)
        && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
        && ticks > 0 && ticks <= DateTime.MaxValue.Ticks
            ? new DateTime(ticks, DateTimeKind.Utc) : null;
}
