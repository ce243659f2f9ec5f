using System.Net;
using Attune.Tests.Support;
using static Attune.Tests.Groups.RoomSeed;

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
        var g = await GroupAsync(nodeA, fOnA, [(mOnA, "Sam")]);
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
}
