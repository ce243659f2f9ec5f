using Attune.Infrastructure;
using Attune.Infrastructure.Live;
using Attune.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attune.Tests.Performance;

/// <summary>Two nodes on one PostgreSQL database: a profile change saved on one makes the other forget its copy, and only that person's.</summary>
public sealed class ProfileRelayTests
{
    [PostgresFact]
    public async Task A_profile_change_on_one_node_is_forgotten_on_the_other()
    {
        var server = TestDatabase.PostgresServer!;
        using var cacheA = new MemoryCache(new MemoryCacheOptions());
        using var cacheB = new MemoryCache(new MemoryCacheOptions());
        var profilesA = new PersonProfiles(cacheA);
        var profilesB = new PersonProfiles(cacheB);
        using var relayA = new PostgresEventRelay(server, new EventHub(), NullLogger<PostgresEventRelay>.Instance, profilesA);
        using var relayB = new PostgresEventRelay(server, new EventHub(), NullLogger<PostgresEventRelay>.Instance, profilesB);
        await relayA.StartAsync(CancellationToken.None);
        await relayB.StartAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(relayA.Listening, relayB.Listening).WaitAsync(TimeSpan.FromSeconds(10));
            var person = "person-" + Guid.NewGuid().ToString("N");
            var stranger = "stranger-" + Guid.NewGuid().ToString("N");
            cacheB.Set(PersonProfiles.Key(person), new PersonProfile(person, "Old name", "UTC", "GB"));
            cacheB.Set(PersonProfiles.Key(stranger), new PersonProfile(stranger, "Someone else", "UTC", "US"));

            profilesA.Forget(person);

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (cacheB.TryGetValue(PersonProfiles.Key(person), out _) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
            Assert.False(cacheB.TryGetValue(PersonProfiles.Key(person), out _), "The other node still holds the old profile");
            Assert.True(cacheB.TryGetValue(PersonProfiles.Key(stranger), out _), "Someone else's profile was forgotten too");
        }
        finally
        {
            await relayA.StopAsync(CancellationToken.None);
            await relayB.StopAsync(CancellationToken.None);
        }
    }

    [PostgresFact]
    public async Task A_persons_page_copies_forgotten_on_one_node_are_forgotten_on_the_other()
    {
        var server = TestDatabase.PostgresServer!;
        using var cacheA = new MemoryCache(new MemoryCacheOptions());
        using var cacheB = new MemoryCache(new MemoryCacheOptions());
        var hubA = new EventHub();
        var hubB = new EventHub();
        var snapshotsA = new PersonSnapshots(cacheA, TimeProvider.System, hubA);
        var snapshotsB = new PersonSnapshots(cacheB, TimeProvider.System, hubB);
        using var relayA = new PostgresEventRelay(server, hubA, NullLogger<PostgresEventRelay>.Instance, snapshots: snapshotsA);
        using var relayB = new PostgresEventRelay(server, hubB, NullLogger<PostgresEventRelay>.Instance, snapshots: snapshotsB);
        await relayA.StartAsync(CancellationToken.None);
        await relayB.StartAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(relayA.Listening, relayB.Listening).WaitAsync(TimeSpan.FromSeconds(10));
            var person = "person-" + Guid.NewGuid().ToString("N");
            var stranger = "stranger-" + Guid.NewGuid().ToString("N");
            snapshotsB.Set("today", snapshotsB.Begin(person), "their day");
            snapshotsB.Set("today", snapshotsB.Begin(stranger), "someone else's day");

            snapshotsA.Forget(person);

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (snapshotsB.Get<string>("today", person, null) is not null && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
            Assert.Null(snapshotsB.Get<string>("today", person, null));
            Assert.Equal("someone else's day", snapshotsB.Get<string>("today", stranger, null));

            // An event for the person published on A is delivered on B, and that too forgets B's copy.
            snapshotsB.Set("today", snapshotsB.Begin(person), "their day again");
            hubA.Publish(person, "reach.received", Guid.NewGuid());
            waited.Restart();
            while (snapshotsB.Get<string>("today", person, null) is not null && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
            Assert.Null(snapshotsB.Get<string>("today", person, null));
            Assert.Equal("someone else's day", snapshotsB.Get<string>("today", stranger, null));
        }
        finally
        {
            await relayA.StopAsync(CancellationToken.None);
            await relayB.StopAsync(CancellationToken.None);
        }
    }
}
