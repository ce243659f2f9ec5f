using Attune.Tests.Support;
using static Attune.Tests.Circle.LiveReplayTests;

namespace Attune.Tests.Circle;

/// <summary>
/// Two app nodes on one PostgreSQL database: a client whose stream was on one node, and who comes
/// back to the other with the last id it got, is sent what was published (on either node) while it
/// was away, in order and once, then the live ones. PostgreSQL only (skipped, saying so, without it).
/// </summary>
public sealed class LiveReplayTwoNodeTests
{
    [PostgresFact]
    public async Task EventsPublishedWhileAway_AreReplayedOnTheOtherNode_OnceAndInOrder()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB) = (nodes.A, nodes.B);

        var ownerOnA = await nodeA.RegisterAsync("Rowan");
        var supporterOnA = await nodeA.RegisterAsync("Sage");
        var stranger = await nodeA.RegisterAsync("Stranger");
        await Circles.JoinAsync(nodeA, ownerOnA, supporterOnA, "Sage");
        var ownerOnB = await nodeB.SignInAsync(ownerOnA.Email);
        var supporterOnB = await nodeB.SignInAsync(supporterOnA.Email);
        var strangerOnB = await nodeB.SignInAsync(stranger.Email);

        // Listening on A; one reach arrives live there.
        string lastId;
        await using (var onA = await LiveEvents.OpenAsync(nodeA, supporterOnA))
        {
            var first = await ReachAsync(ownerOnA);
            Assert.Equal([first], await ReachesAsync(onA, 1));
            lastId = onA.LastId!;
        }

        // Away: reaches are sent through both nodes.
        var missed = new List<string>
        {
            await ReachAsync(ownerOnA),
            await ReachAsync(ownerOnB),
            await ReachAsync(ownerOnA),
        };

        // Someone else coming to B with that id is sent nothing of the supporter's.
        await using (var stolen = await LiveEvents.ReconnectAsync(nodeB, strangerOnB, lastId)) await NothingMoreAsync(stolen);

        // Back, on B: the three missed, in order, then live ones from either node, each once.
        await using var onB = await LiveEvents.ReconnectAsync(nodeB, supporterOnB, lastId);
        Assert.Equal(missed, await ReachesAsync(onB, 3));
        var live = new List<string> { await ReachAsync(ownerOnA), await ReachAsync(ownerOnB) };
        Assert.Equal(live, await ReachesAsync(onB, 2));
        await NothingMoreAsync(onB);

        // And back on A with B's id: only what came after it.
        var bId = onB.LastId!;
        var meanwhile = await ReachAsync(ownerOnB);
        await using var backOnA = await LiveEvents.ReconnectAsync(nodeA, supporterOnA, bId);
        Assert.Equal([meanwhile], await ReachesAsync(backOnA, 1));
        await NothingMoreAsync(backOnA);
    }
}
