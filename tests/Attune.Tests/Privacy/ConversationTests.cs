using System.Security.Cryptography;
using Attune.Infrastructure.Live;
using Attune.Infrastructure.Conversations;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Web;
using Attune.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Privacy;

/// <summary>
/// The conversation primitive over a key with N holders (as groups will use it): everyone in it
/// reads it, the live event reaches each holder and nobody else, and a removed holder reads
/// nothing written after removal.
/// </summary>
public sealed class ConversationTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Kind = "test", Table = "test_messages";

    private sealed class Message : ISealedMessage
    {
        public Guid Id { get; init; } = Guid.NewGuid();
        public string AuthorId { get; init; } = "";
        public Sealed Body { get; set; } = null!;
        public DateTime CreatedAt { get; init; } = DateTime.UtcNow;
    }

    private async Task<T> WithKeysAsync<T>(Func<SharedKeys, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<SharedKeys>());
    }

    private async Task<Conversation> AsAsync(Guid id, string holderId, IReadOnlyCollection<string> holders) =>
        new(Kind, Table, id, (await WithKeysAsync(k => k.OpenAsync(id, holderId)))!, holders);

    [Fact]
    public async Task EveryHolderReadsIt_TheEventReachesOnlyThem_AndARemovedHolderReadsNothingNew()
    {
        var id = Guid.NewGuid();
        var p = new string[4];
        for (var i = 0; i < p.Length; i++) p[i] = (await app.RegisterAsync()).Id;
        string[] holders = [p[0], p[1], p[2]];
        await WithKeysAsync(k => k.CreateAsync(id, holders));
        var names = new Dictionary<string, string> { [p[0]] = "Robin", [p[1]] = "Sam", [p[2]] = "Lee" };

        var hub = new EventHub();
        var streams = p.Select(u => hub.Subscribe(u)!).ToArray();
        var first = new Message { AuthorId = p[0] };
        var written = (await AsAsync(id, p[0], holders)).Write(first, "Thank you for being here");
        Assert.Equal(new MessageDto(first.Id, true, "You", "Thank you for being here", new DateTimeOffset(first.CreatedAt)), written);
        (await AsAsync(id, p[0], holders)).Announce(hub);

        var frame = $"event: test.message\ndata: {{\"id\":\"{id}\"}}\n\n";
        for (var i = 0; i < 3; i++)
        {
            Assert.True(streams[i].Channel.Reader.TryRead(out var got), $"Holder {i} received no event");
            Assert.Equal(frame, WithoutId(got));
        }
        Assert.False(streams[3].Channel.Reader.TryRead(out _), "Someone outside the conversation received its event");

        var asSam = await AsAsync(id, p[1], holders);
        var read = Assert.Single(asSam.Read([first], p[1], u => names[u]));
        Assert.Equal(("Robin", false, "Thank you for being here"), (read.Author, read.Mine, read.Text));
        var asLee = await AsAsync(id, p[2], holders);

        // Lee leaves: the key moves on without them, and what is written next stays closed to them.
        await WithKeysAsync(k => k.RemoveHolderAsync(id, p[2]));
        var afterHolders = new[] { p[0], p[1] };
        var second = new Message { AuthorId = p[1] };
        (await AsAsync(id, p[1], afterHolders)).Write(second, "Still here");
        Assert.ThrowsAny<CryptographicException>(() => asLee.Read([second], p[2], u => names[u]));
        Assert.Null(await WithKeysAsync(k => k.OpenAsync(id, p[2])));
        Assert.Equal(["Thank you for being here", "Still here"],
            (await AsAsync(id, p[0], afterHolders)).Read([first, second], p[0], u => names[u]).Select(m => m.Text));

        (await AsAsync(id, p[0], afterHolders)).Announce(hub);
        Assert.False(streams[2].Channel.Reader.TryRead(out _), "A removed holder received the conversation's event");
        Conversation.AnnounceEnded(hub, Kind, id, afterHolders);
        Assert.True(streams[1].Channel.Reader.TryRead(out var again), "A holder missed the new message's event");
        Assert.True(streams[1].Channel.Reader.TryRead(out var ended), "A holder missed the ending's event");
        Assert.Equal([frame, $"event: test.ended\ndata: {{\"id\":\"{id}\"}}\n\n"], new[] { WithoutId(again), WithoutId(ended) });
        foreach (var s in streams) s.Dispose();
    }

    /// <summary>A frame without its first line, the SSE id (the stream's place, for reconnects: LiveReplayTests).</summary>
    private static string WithoutId(string frame)
    {
        Assert.StartsWith("id: ", frame);
        return frame[(frame.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }

    [Fact]
    public void AMessage_IsTrimmed_AndAnEmptyOrLongOneNamesTheTextField()
    {
        Assert.Equal("hello", Conversation.Validate(new MessageInput("  hello \n"), 10, new FieldErrors()));
        foreach (var text in new[] { null, "   ", new string('a', 11) })
        {
            var errors = new FieldErrors();
            Conversation.Validate(new MessageInput(text), 10, errors);
            Assert.Equal(["text"], errors.Items.Select(e => e.Field).Distinct());
        }
    }
}
