using System.Net;
using Attune.Infrastructure.Live;
using Attune.Tests.Support;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>
/// Two app nodes on one PostgreSQL database: room events sent to either node reach people whose
/// streams are on the other, in version order, because each event's notifications leave inside
/// the transaction that raised the version. PostgreSQL only (skipped, saying so, without it).
/// </summary>
public sealed class RoomRelayTests
{
    [PostgresFact]
    public async Task EventsPostedOnBothNodes_ArriveOnTheOtherNode_InVersionOrder()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB) = (nodes.A, nodes.B);

        var fOnA = await nodeA.RegisterAsync("Facilitator");
        var mOnA = await nodeA.RegisterAsync("Member");
        var g = await SeedRoomAsync(nodeA, fOnA, [(mOnA, "Sam")]);
        var fOnB = await nodeB.SignInAsync(fOnA.Email);
        var mOnB = await nodeB.SignInAsync(mOnA.Email);
        // Each person listens on one node; events are sent to both nodes in turn.
        await using var fListensOnB = await LiveEvents.OpenAsync(nodeB, fOnB);
        await using var mListensOnA = await LiveEvents.OpenAsync(nodeA, mOnA);

        var v = (await AcceptedAsync(fOnA, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(mOnB, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        for (var i = 0; i < 10; i++)
            v = (await AcceptedAsync(i % 2 == 0 ? mOnA : mOnB, g, "moment", v)).GetProperty("version").GetInt64();
        // A stale version sent to the other node is refused there too: the version is one across nodes.
        await Expect.StatusAsync(await EventAsync(fOnB, g, "pause", v - 1), HttpStatusCode.Conflict);

        foreach (var stream in new[] { fListensOnB, mListensOnA })
        {
            for (var expected = 1L; expected <= v; expected++)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                var (type, data) = await stream.Frames.Reader.ReadAsync(timeout.Token);
                Assert.Equal("group.room", type);
                Assert.Equal(expected, data.GetProperty("version").GetInt64());
            }
            await Task.Delay(300);
            Assert.False(stream.Frames.Reader.TryRead(out var twice), $"A frame arrived twice: {twice.Data}");
        }
    }

    [PostgresFact]
    public async Task AWriteOnANode_WhoseListenerIsBehind_DoesNotOvertakeTheOtherNodesEarlierWrite_There()
    {
        await using var nodes = await TwoNodes.StartAsync();
        var (nodeA, nodeB) = (nodes.A, nodes.B);
        var fOnA = await nodeA.RegisterAsync("Facilitator");
        var mOnA = await nodeA.RegisterAsync("Member");
        var g = await SeedRoomAsync(nodeA, fOnA, [(mOnA, "Sam")]);
        var mOnB = await nodeB.SignInAsync(mOnA.Email);
        await using var fListensOnB = await LiveEvents.OpenAsync(nodeB, await nodeB.SignInAsync(fOnA.Email));
        var v = (await AcceptedAsync(fOnA, g, "open", 0)).GetProperty("version").GetInt64();
        await ExpectVersionsAsync(fListensOnB, 1, v);

        // Node B's listener is slow with the next event it hears (node A's): B's own write, made
        // just after A's committed, must still reach B's streams after it, not before.
        var armed = 1;
        nodeB.Service<EventHub>().Delivered += _ =>
        {
            if (Interlocked.Exchange(ref armed, 0) == 1) Thread.Sleep(700);
        };
        v = (await AcceptedAsync(mOnA, g, "moment", v)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(mOnB, g, "moment", v)).GetProperty("version").GetInt64();
        await ExpectVersionsAsync(fListensOnB, 2, v);
        Assert.Equal(0, nodeB.Service<EventHub>().AwaitingEcho);
    }

    private static async Task ExpectVersionsAsync(LiveEvents stream, long from, long through)
    {
        for (var expected = from; expected <= through; expected++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var (type, data) = await stream.Frames.Reader.ReadAsync(timeout.Token);
            Assert.Equal("group.room", type);
            Assert.Equal(expected, data.GetProperty("version").GetInt64());
        }
    }
}
