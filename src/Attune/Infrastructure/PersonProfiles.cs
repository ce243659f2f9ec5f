using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Infrastructure;

/// <summary>What nearly every signed-in page needs about the person and that rarely changes: their name, time zone, country, whether they have been welcomed, and how Attune looks for them (<see cref="Themes"/>).</summary>
public sealed record PersonProfile(string UserId, string DisplayName, string TimeZoneId, string? Country, bool Welcomed = true, string Theme = Themes.System)
{
    /// <summary>The person's time zone (UTC when the id is unknown to this machine).</summary>
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>
/// Keeps each person's <see cref="PersonProfile"/> in memory so a page doesn't read the account row
/// and open the sealed name on every request. A change is seen at once: saving a changed or deleted
/// account through <see cref="AttuneDb"/> forgets it on this node, and (on PostgreSQL, through the
/// event relay) on every other node. If a node misses that message (the relay reconnecting), it
/// keeps the old profile for at most <see cref="KeepFor"/>: a name, zone, country or theme a minute
/// old shows nothing of anyone else's and decides no access. Keyed by the person's id, so one person's
/// profile is never handed to another.
/// </summary>
public sealed class PersonProfiles(IMemoryCache cache) : IPersonCache
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(60);

    // Bumped by every forget: a profile read from the database before a change committed must not
    // be stored after that change's forget ran.
    private long _generation;

    /// <summary>Changes with every forget, so a request holding a profile knows to read it again.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Sends "forget this person" to the other nodes (set by the PostgreSQL event relay).</summary>
    public Action<string>? Relay { get; set; }

    /// <summary>The person's profile, or null when there is no such person.</summary>
    public async Task<PersonProfile?> GetAsync(AttuneDb db, string userId, CancellationToken ct = default)
    {
        if (cache.TryGetValue(Key(userId), out PersonProfile? cached) && cached is not null) return cached;
        var generation = Interlocked.Read(ref _generation);
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DisplayNameSealed, u.TimeZone, u.Country, u.WelcomedAt, u.Theme }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        var name = row.DisplayNameSealed is null ? "" : await db.OpenAsync(userId, AttuneUser.Table, userId, "displayName", row.DisplayNameSealed, ct);
        var profile = new PersonProfile(userId, name, row.TimeZone, row.Country, row.WelcomedAt is not null, row.Theme);
        if (Interlocked.Read(ref _generation) == generation)
            cache.Set(Key(userId), profile, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = KeepFor, Size = 1 });
        return profile;
    }

    /// <summary>Forgets the person's profile here and on every other node.</summary>
    public void Forget(string userId)
    {
        ForgetHere(userId);
        Relay?.Invoke(userId);
    }

    /// <summary>Forgets the person's profile on this node only (what another node's message asks).</summary>
    public void ForgetHere(string userId)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(Key(userId));
    }

    internal static string Key(string userId) => "profile:" + userId;
}
