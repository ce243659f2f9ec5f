using Attune.Infrastructure;
using Attune.Infrastructure.Live;
using Attune.Tests.Support;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attune.Tests.Performance;

/// <summary>
/// Two nodes on one PostgreSQL database: a profile change saved on one makes the other forget its
/// copy, and likewise a person's kept pages (a forget, or an event for them); only that person's.
/// </summary>
public sealed class ProfileRelayTests
{
    /// <summary>One node's caches and its relay.</summary>
    private sealed record Node(MemoryCache Cache, EventHub Hub, PersonProfiles Profiles, PersonSnapshots Snapshots, PostgresEventRelay Relay);

    /// <summary>Runs <paramref name="body"/> with two nodes listening on the test server, and stops them after.</summary>
    private static async Task TwoNodesAsync(Func<Node, Node, Task> body)
    {
        var nodes = new[] { NewNode(), NewNode() };
        try
        {
            foreach (var n in nodes) await n.Relay.StartAsync(CancellationToken.None);
            await Task.WhenAll(nodes.Select(n => n.Relay.Listening)).WaitAsync(TimeSpan.FromSeconds(10));
            await body(nodes[0], nodes[1]);
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.Relay.StopAsync(CancellationToken.None);
                n.Relay.Dispose();
                n.Cache.Dispose();
            }
        }
    }

    private static Node NewNode()
    {
        var cache = new MemoryCache(new MemoryCacheOptions());
        var hub = new EventHub();
        var profiles = new PersonProfiles(cache);
        var snapshots = new PersonSnapshots(cache, TimeProvider.System, hub);
        return new Node(cache, hub, profiles, snapshots, new PostgresEventRelay(TestDatabase.PostgresServer!, hub, NullLogger<PostgresEventRelay>.Instance, profiles, snapshots));
    }

    private static async Task UntilAsync(Func<bool> done)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done() && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
    }

    [PostgresFact]
    public Task A_profile_change_on_one_node_is_forgotten_on_the_other() => TwoNodesAsync(async (a, b) =>
    {
        var person = "person-" + Guid.NewGuid().ToString("N");
        var stranger = "stranger-" + Guid.NewGuid().ToString("N");
        b.Cache.Set(PersonProfiles.Key(person), new PersonProfile(person, "Old name", "UTC", "GB"));
        b.Cache.Set(PersonProfiles.Key(stranger), new PersonProfile(stranger, "Someone else", "UTC", "US"));

        a.Profiles.Forget(person);

        await UntilAsync(() => !b.Cache.TryGetValue(PersonProfiles.Key(person), out _));
        Assert.False(b.Cache.TryGetValue(PersonProfiles.Key(person), out _), "The other node still holds the old profile");
        Assert.True(b.Cache.TryGetValue(PersonProfiles.Key(stranger), out _), "Someone else's profile was forgotten too");
    });

    [PostgresFact]
    public Task A_persons_page_copies_forgotten_on_one_node_are_forgotten_on_the_other() => TwoNodesAsync(async (a, b) =>
    {
        var person = "person-" + Guid.NewGuid().ToString("N");
        var stranger = "stranger-" + Guid.NewGuid().ToString("N");
        b.Snapshots.Set("today", b.Snapshots.Begin(person), "their day");
        b.Snapshots.Set("today", b.Snapshots.Begin(stranger), "someone else's day");

        a.Snapshots.Forget(person);

        await UntilAsync(() => b.Snapshots.Get<string>("today", person, null) is null);
        Assert.Null(b.Snapshots.Get<string>("today", person, null));
        Assert.Equal("someone else's day", b.Snapshots.Get<string>("today", stranger, null));

        // An event for the person published on A is delivered on B, and that too forgets B's copy.
        b.Snapshots.Set("today", b.Snapshots.Begin(person), "their day again");
        a.Hub.Publish(person, "reach.received", Guid.NewGuid());
        await UntilAsync(() => b.Snapshots.Get<string>("today", person, null) is null);
        Assert.Null(b.Snapshots.Get<string>("today", person, null));
        Assert.Equal("someone else's day", b.Snapshots.Get<string>("today", stranger, null));
    });
}
