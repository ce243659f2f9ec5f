using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Circle;

/// <summary>
/// Live events survive a dropped connection: a client that comes back with the last frame's id
/// (<c>Last-Event-ID</c>, as a browser's EventSource sends by itself) is sent what it missed, in
/// order, and then the live ones, with nothing twice; an id that is too old or unreadable gets one
/// <c>resync</c> frame; nobody is ever sent someone else's frames; an ended session gets 401.
/// Across two nodes: LiveReplayTwoNodeTests.
/// </summary>
public sealed class LiveReplayTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private const int LiveCursorMaxLength = Attune.Infrastructure.Live.LiveCursor.MaxLength;

    internal static async Task<string> ReachAsync(Person owner)
    {
        var response = await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "whenever" });
        return JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The reach ids that arrive on <paramref name="stream"/>, until <paramref name="count"/> have, or 10 s.</summary>
    internal static async Task<List<string>> ReachesAsync(LiveEvents stream, int count)
    {
        var ids = new List<string>();
        while (ids.Count < count) ids.Add((await stream.NextAsync("reach.received")).Id);
        return ids;
    }

    /// <summary>Fails when any event at all arrives on <paramref name="stream"/> in the next half second.</summary>
    internal static async Task NothingMoreAsync(LiveEvents stream)
    {
        await Task.Delay(Quiet);
        Assert.False(stream.Events.Reader.TryRead(out var more), $"An unexpected frame: {more.Type} {more.Id}");
    }

    private async Task<(Person Owner, Person Supporter)> CircleAsync()
    {
        var owner = await app.RegisterAsync("Rowan");
        var supporter = await app.RegisterAsync("Sage");
        await Circles.JoinAsync(app, owner, supporter, "Sage");
        return (owner, supporter);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AfterADrop_AReconnectGetsWhatItMissed_InOrder_ThenLiveOnes(bool asQuery)
    {
        var (owner, supporter) = await CircleAsync();
        string lastId, seen;
        await using (var first = await LiveEvents.OpenAsync(app, supporter))
        {
            seen = await ReachAsync(owner);
            Assert.Equal([seen], await ReachesAsync(first, 1));
            lastId = first.LastId!;
        }

        var missed = new List<string>();
        for (var i = 0; i < 3; i++) missed.Add(await ReachAsync(owner));

        await using var again = await LiveEvents.ReconnectAsync(app, supporter, lastId, asQuery);
        Assert.Equal(missed, await ReachesAsync(again, 3));
        var live = await ReachAsync(owner);
        Assert.Equal([live], await ReachesAsync(again, 1));
        await Task.Delay(500);
        Assert.False(again.Events.Reader.TryRead(out var more), $"An unexpected frame: {more.Type} {more.Id}; seen {seen}, missed {string.Join(",", missed)}, live {live}");
    }

    [Fact]
    public async Task AReconnectWithNothingMissed_GetsNothingAgain()
    {
        var (owner, supporter) = await CircleAsync();
        string lastId;
        await using (var first = await LiveEvents.OpenAsync(app, supporter))
        {
            await ReachAsync(owner);
            await ReachesAsync(first, 1);
            lastId = first.LastId!;
        }
        await using var again = await LiveEvents.ReconnectAsync(app, supporter, lastId);
        await NothingMoreAsync(again);
    }

    [Fact]
    public async Task AQuietStream_StillHasAnIdToComeBackWith()
    {
        var (owner, supporter) = await CircleAsync();
        string lastId;
        await using (var quiet = await LiveEvents.OpenAsync(app, supporter))
        {
            // No event yet: the id line at the start is what the browser would come back with.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (quiet.LastId is null && DateTime.UtcNow < deadline) await Task.Delay(20);
            lastId = quiet.LastId ?? throw new Xunit.Sdk.XunitException("The stream sent no id at its start.");
        }
        var missed = await ReachAsync(owner);
        await using var again = await LiveEvents.ReconnectAsync(app, supporter, lastId);
        Assert.Equal([missed], await ReachesAsync(again, 1));
    }

    [Fact]
    public async Task AnIdOlderThanTheWindow_OrUnreadable_GetsOneResync_ThenLiveOnes()
    {
        var (owner, supporter) = await CircleAsync();
        string lastId;
        await using (var first = await LiveEvents.OpenAsync(app, supporter))
        {
            await ReachAsync(owner);
            await ReachesAsync(first, 1);
            lastId = first.LastId!;
        }
        await ReachAsync(owner);

        foreach (var id in new[] { "not a cursor", "1;zzzzzzzzzzzz:5", lastId + ",NotANode:3", lastId + new string('9', LiveCursorMaxLength) })
        {
            await using var unreadable = await LiveEvents.ReconnectAsync(app, supporter, id);
            var (type, _) = await unreadable.Events.Reader.ReadAsync();
            Assert.Equal("resync", type);
            await NothingMoreAsync(unreadable);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await using var late = await LiveEvents.ReconnectAsync(app, supporter, lastId);
        Assert.Equal("resync", (await late.Events.Reader.ReadAsync()).Type);
        var live = await ReachAsync(owner);
        Assert.Equal([live], await ReachesAsync(late, 1));
        await NothingMoreAsync(late);

        // After a resync the stream's own id works again.
        var afterResync = late.LastId!;
        var missed = await ReachAsync(owner);
        await using var back = await LiveEvents.ReconnectAsync(app, supporter, afterResync);
        Assert.Equal([missed], await ReachesAsync(back, 1));
    }

    [Fact]
    public async Task SomeoneElsesId_ReplaysNothingOfTheirs()
    {
        var (owner, supporter) = await CircleAsync();
        var stranger = await app.RegisterAsync("Stranger");
        string supportersFirstId;
        await using (var first = await LiveEvents.OpenAsync(app, supporter))
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (first.LastId is null && DateTime.UtcNow < deadline) await Task.Delay(20);
            supportersFirstId = first.LastId!;
        }
        for (var i = 0; i < 3; i++) await ReachAsync(owner);

        // The supporter's own id, and one that claims to have seen nothing from any node at all.
        var origin = supportersFirstId.Split(';')[1].Split(':')[0];
        var seenNothing = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + ";" + origin + ":0";
        foreach (var id in new[] { supportersFirstId, seenNothing })
        {
            await using var stolen = await LiveEvents.ReconnectAsync(app, stranger, id);
            await NothingMoreAsync(stolen);
        }
        // The supporter, with the same id, gets all three.
        await using var own = await LiveEvents.ReconnectAsync(app, supporter, supportersFirstId);
        Assert.Equal(3, (await ReachesAsync(own, 3)).Distinct().Count());
    }

    [Fact]
    public async Task ReconnectingAgainAndAgain_WhileEventsKeepComing_LosesNoneAndRepeatsNone()
    {
        var (owner, supporter) = await CircleAsync();
        const int total = 24;
        var sent = new List<string>();
        var received = new List<string>();
        var stream = await LiveEvents.OpenAsync(app, supporter);
        try
        {
            var sending = Task.Run(async () =>
            {
                for (var i = 0; i < total; i++)
                {
                    var id = await ReachAsync(owner);
                    lock (sent) sent.Add(id);
                }
            });
            // Drop and come back at whatever moment, several times, while reaches keep coming.
            while (!sending.IsCompleted)
            {
                await Task.Delay(Random.Shared.Next(5, 60));
                // Once the stream is closed, its last id and the events read so far agree (as in a browser).
                await stream.DisposeAsync();
                while (stream.Events.Reader.TryRead(out var e)) if (e.Type == "reach.received") received.Add(e.Id);
                var lastId = stream.LastId;
                stream = lastId is null ? await LiveEvents.OpenAsync(app, supporter) : await LiveEvents.ReconnectAsync(app, supporter, lastId);
            }
            await sending;
            while (received.Count < total) received.Add((await stream.NextAsync("reach.received")).Id);
            await NothingMoreAsync(stream);
        }
        finally
        {
            await stream.DisposeAsync();
        }
        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task AnEndedSession_Gets401_NotAReplay()
    {
        var (owner, supporter) = await CircleAsync();
        var other = await app.SignInAsync(supporter.Email);
        string lastId;
        await using (var first = await LiveEvents.OpenAsync(app, supporter))
        {
            await ReachAsync(owner);
            await ReachesAsync(first, 1);
            lastId = first.LastId!;
        }
        await ReachAsync(owner);
        var sessions = await other.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        var ended = sessions.GetProperty("items").EnumerateArray().First(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();
        await Expect.StatusAsync(await other.Api.DeleteAsync($"/api/v1/me/sessions/{ended}"), HttpStatusCode.NoContent);

        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", supporter.AccessToken);
        http.DefaultRequestHeaders.Add("Last-Event-ID", lastId);
        using var response = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        Assert.DoesNotContain("reach.received", body);
    }
}
