using Attune.Infrastructure.Live;
using Attune.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attune.Tests.Circle;

/// <summary>Two nodes on one PostgreSQL database: an event published on one reaches the right person's stream on the other.</summary>
public sealed class EventRelayTests
{
    [PostgresFact]
    public async Task AnEventPublishedOnOneNode_ReachesThatPersonsStreamOnAnother_Once()
    {
        var server = TestDatabase.PostgresServer!;
        var hubA = new EventHub();
        var hubB = new EventHub();
        var relayA = new PostgresEventRelay(server, hubA, NullLogger<PostgresEventRelay>.Instance);
        var relayB = new PostgresEventRelay(server, hubB, NullLogger<PostgresEventRelay>.Instance);
        await relayA.StartAsync(CancellationToken.None);
        await relayB.StartAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(relayA.Listening, relayB.Listening).WaitAsync(TimeSpan.FromSeconds(10));
            var person = "person-" + Guid.NewGuid().ToString("N");
            using var onB = hubB.Subscribe(person)!;
            using var strangerOnB = hubB.Subscribe("someone-else-" + Guid.NewGuid().ToString("N"))!;
            using var onA = hubA.Subscribe(person)!;
            var id = Guid.NewGuid();

            hubA.Publish(person, "reach.received", id);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var frame = await onB.Channel.Reader.ReadAsync(timeout.Token);
            // The frame's id names the publishing node and its number for the event, the same on every node.
            Assert.StartsWith($"id: ", frame);
            Assert.Matches($"[;,]{hubA.Origin}:1[,\\n]", frame);
            Assert.EndsWith($"event: reach.received\ndata: {{\"id\":\"{id}\"}}\n\n", frame);
            Assert.True(onA.Channel.Reader.TryRead(out _), "Not delivered on its own node");
            await Task.Delay(300);
            Assert.False(onA.Channel.Reader.TryRead(out _), "Delivered twice on its own node");
            Assert.False(onB.Channel.Reader.TryRead(out _), "Delivered twice on the other node");
            Assert.False(strangerOnB.Channel.Reader.TryRead(out _), "Someone else's stream received it");
        }
        finally
        {
            await relayA.StopAsync(CancellationToken.None);
            await relayB.StopAsync(CancellationToken.None);
            relayA.Dispose();
            relayB.Dispose();
        }
    }

    [PostgresFact]
    public async Task ASessionEndedOnOneNode_ClosesItsStreamsOnAnother()
    {
        var server = TestDatabase.PostgresServer!;
        var hubA = new EventHub();
        var hubB = new EventHub();
        var relayA = new PostgresEventRelay(server, hubA, NullLogger<PostgresEventRelay>.Instance);
        var relayB = new PostgresEventRelay(server, hubB, NullLogger<PostgresEventRelay>.Instance);
        await relayA.StartAsync(CancellationToken.None);
        await relayB.StartAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(relayA.Listening, relayB.Listening).WaitAsync(TimeSpan.FromSeconds(10));
            var person = "person-" + Guid.NewGuid().ToString("N");
            var ending = Guid.NewGuid();
            using var endingOnB = hubB.Subscribe(person, ending)!;
            using var otherSessionOnB = hubB.Subscribe(person, Guid.NewGuid())!;

            hubA.EndSession(ending);

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await endingOnB.Channel.Reader.Completion.WaitAsync(timeout.Token);
            Assert.False(otherSessionOnB.Channel.Reader.Completion.IsCompleted, "Another session's stream was closed");
        }
        finally
        {
            await relayA.StopAsync(CancellationToken.None);
            await relayB.StopAsync(CancellationToken.None);
            relayA.Dispose();
            relayB.Dispose();
        }
    }
}
