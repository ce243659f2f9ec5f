using Attune.Infrastructure.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attune.Tests.Groups;

/// <summary>Frames with extra ids and numbers, and the relay's payload with and without them (a rolling deploy has nodes of both kinds).</summary>
public sealed class LiveFrameTests
{
    private static readonly Guid Group = Guid.Parse("11111111-2222-4333-8444-555555555555"), Meeting = Guid.Parse("66666666-7777-4888-9999-aaaaaaaaaaaa");

    [Fact]
    public void AnExtraCarries_OnlyPlainNames_WithIdsAndWholeNumbers()
    {
        var extra = LiveExtra.Of("groupId", Group).And("meetingId", Meeting).And("version", 12);
        Assert.Equal($"{{\"id\":\"{Meeting}\",\"groupId\":\"{Group}\",\"meetingId\":\"{Meeting}\",\"version\":12}}", extra.DataJson(Meeting));
        Assert.Throws<ArgumentException>(() => LiveExtra.Of("a\"b", 1));
        Assert.Throws<ArgumentException>(() => LiveExtra.Of("id", Group));
        Assert.True(LiveExtra.TryParse(extra.ToString(), out var back));
        Assert.Equal(extra, back);
        Assert.False(LiveExtra.TryParse("\"note\":\"some words a person wrote\"", out _));
        Assert.False(LiveExtra.TryParse("\"version\":1.5", out _));
    }

    [Fact]
    public void TheRelay_ReadsTheOldFourPartPayload_AndTheNewFifthPart_AndRefusesText()
    {
        var hub = new EventHub();
        using var relay = new PostgresEventRelay("Host=127.0.0.1;Port=1", hub, NullLogger<PostgresEventRelay>.Instance);
        using var stream = hub.Subscribe("person")!;
        var extra = LiveExtra.Of("groupId", Group).And("version", 3);
        Assert.Equal($"other|person|reach.received|{Meeting}", PostgresEventRelay.Payload("other", "person", "reach.received", Meeting, LiveExtra.None));

        relay.Receive($"other|person|reach.received|{Meeting}");
        relay.Receive(PostgresEventRelay.Payload("other", "person", "group.room", Meeting, extra));
        relay.Receive($"other|person|group.room|{Meeting}|\"text\":\"never\"");
        relay.Receive(PostgresEventRelay.Payload(hub.NodeId!, "person", "group.room", Meeting, extra)); // its own: already delivered

        Assert.True(stream.Channel.Reader.TryRead(out var old));
        Assert.Equal($"event: reach.received\ndata: {{\"id\":\"{Meeting}\"}}\n\n", old);
        Assert.True(stream.Channel.Reader.TryRead(out var extended));
        Assert.Equal($"event: group.room\ndata: {{\"id\":\"{Meeting}\",\"groupId\":\"{Group}\",\"version\":3}}\n\n", extended);
        Assert.False(stream.Channel.Reader.TryRead(out var more), $"Unexpected frame: {more}");
    }
}
