using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Groups;
using Attune.Features.Groups.Room;
using Attune.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>An app that counts each request's database commands (the benchmark's counters, <c>Attune:Bench</c>).</summary>
public sealed class CountingApp() : AttuneApp(new Dictionary<string, string?> { ["Attune:Bench"] = "true" })
{
    /// <summary>Database commands of the last request to <paramref name="path"/> (the app's own per-request counter).</summary>
    public async Task<long> LastQueriesAsync(string path)
    {
        using var anonymous = CreateClient();
        var stats = await anonymous.GetFromJsonAsync<JsonElement>("/bench/stats");
        return stats.GetProperty("paths").GetProperty(path).GetProperty("last").GetInt64();
    }
}

/// <summary>
/// The room's write path: how many database commands a turn's post costs (the benchmark's cost per
/// post, kept from creeping back), and this node's copy of each room (<see cref="RoomCache"/>) never
/// deciding alone: another node's writes are seen, and someone removed on another node is refused
/// at once. "Another node" is a second room service on the same database with its own copies and locks.
/// </summary>
public sealed class RoomWritePathTests(CountingApp app, ITestOutputHelper output) : IClassFixture<CountingApp>
{
    private async Task<long> RoomEventQueriesAsync()
    {
        using var anonymous = app.CreateClient();
        var stats = await anonymous.GetFromJsonAsync<JsonElement>("/bench/stats");
        return stats.GetProperty("paths").EnumerateObject().Where(p => p.Name.EndsWith("/room/events", StringComparison.Ordinal))
            .Sum(p => p.Value.GetProperty("queries").GetInt64());
    }

    [Fact]
    public async Task ATurnsPost_RunsFewDatabaseCommands()
    {
        var f = await app.RegisterAsync("Facilitator");
        var a = await app.RegisterAsync("Member A");
        var b = await app.RegisterAsync("Member B");
        var g = await SeedRoomAsync(app, f, [(a, "Sam"), (b, "Maya")]);
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(a, g, "checkIn", v, new { suds = 3, word = "here" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "checkIn", v, new { suds = 4, word = "tired" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(f, g, "startRound", v)).GetProperty("version").GetInt64();
        var before = await RoomEventQueriesAsync();
        v = (await AcceptedAsync(a, g, "post", v, new { text = "I stayed with my younger self a while." })).GetProperty("version").GetInt64();
        var first = await RoomEventQueriesAsync() - before;
        v = (await AcceptedAsync(a, g, "post", v, new { text = "And she felt a little less alone." })).GetProperty("version").GetInt64();
        var second = await RoomEventQueriesAsync() - before - first;
        // The short answer (Prefer: return=minimal, as the room page's forms get it) reads and opens nothing after the write.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{g.Room}/events")
        {
            Content = JsonContent.Create(new { type = "post", expectedVersion = v, text = "Then I let her rest." }),
        };
        request.Headers.Add("Prefer", "return=minimal");
        await Expect.StatusAsync(await a.Api.SendAsync(request), HttpStatusCode.OK);
        var brief = await RoomEventQueriesAsync() - before - first - second;
        output.WriteLine($"database commands for a turn's post: first {first}, second {second}, short answer {brief} ({(app.IsPostgres ? "PostgreSQL" : "SQLite")})");
        // Sign-in's session check, the scope, the key, one batch (the post and the conditional update),
        // NOTIFY on PostgreSQL, and the full answer's three reads; before the node kept its copy of the room, 12.
        Assert.True(second <= (app.IsPostgres ? 8 : 7), $"A turn's post ran {second} database commands.");
        // The same without the answer's three reads.
        Assert.True(brief <= 4, $"A turn's post with the short answer ran {brief} database commands.");
    }

    private async Task<(SeededGroup G, Person F, Person A, Person B, long V)> RoundAsync()
    {
        var f = await app.RegisterAsync("Facilitator");
        var a = await app.RegisterAsync("Member A");
        var b = await app.RegisterAsync("Member B");
        var g = await SeedRoomAsync(app, f, [(a, "Sam"), (b, "Maya")]);
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(a, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(f, g, "startRound", v)).GetProperty("version").GetInt64(); // Sam (A) holds the piece
        return (g, f, a, b, v);
    }

    /// <summary>A second node's room service and membership on the same database: its own copies of rooms and its own locks.</summary>
    private static (RoomService Rooms, Membership Membership) OtherNode(IServiceScope scope)
    {
        var rooms = ActivatorUtilities.CreateInstance<RoomService>(scope.ServiceProvider, new RoomCache(), new RoomLocks());
        return (rooms, ActivatorUtilities.CreateInstance<Membership>(scope.ServiceProvider, (IRoomMembership)rooms));
    }

    [Fact]
    public async Task AnotherNodesWrite_IsSeen_TheNextEventHereIsDecidedOnTheRoomAsItIs()
    {
        var (g, _, a, b, v) = await RoundAsync();
        using (var scope = app.Services.CreateScope())
        {
            var (otherRooms, _) = OtherNode(scope);
            var there = await otherRooms.ApplyAsync(a.Id, g.Id, g.MeetingId, new RoomEventInput("post", v, Text: "Written on the other node."), default);
            Assert.Equal(RoomAnswer.Ok, there.Answer);
            Assert.Equal(v + 1, there.State!.Version);
        }
        // This node's copy is still at v: the version the other node wrote is the one it takes, and v is stale.
        var stale = await EventAsync(a, g, "done", v);
        Assert.Equal(v + 1, JsonDocument.Parse(await Expect.StatusAsync(stale, HttpStatusCode.Conflict)).RootElement.GetProperty("version").GetInt64());
        var here = await AcceptedAsync(a, g, "post", v + 1, new { text = "And one more here." });
        Assert.Equal(v + 2, here.GetProperty("version").GetInt64());
        Assert.Equal(2, here.GetProperty("posts").GetArrayLength());
        // A refusal here is decided on the room as it is: the other node passed the piece to Maya (B), so Sam's post is not theirs to make.
        using (var scope = app.Services.CreateScope())
        {
            var (otherRooms, _) = OtherNode(scope);
            Assert.Equal(RoomAnswer.Ok, (await otherRooms.ApplyAsync(a.Id, g.Id, g.MeetingId, new RoomEventInput("done", v + 2), default)).Answer);
        }
        await Expect.StatusAsync(await EventAsync(a, g, "post", v + 3, new { text = "Not my turn now." }), HttpStatusCode.Forbidden);
        Assert.Equal(v + 4, (await AcceptedAsync(b, g, "post", v + 3, new { text = "My turn." })).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task SomeoneRemovedOnAnotherNode_IsRefusedHereAtOnce_AndTheRoomGoesOnWithoutThem()
    {
        var (g, f, a, b, v) = await RoundAsync();
        // This node has the room in its copy, with Maya (B) in it.
        v = (await AcceptedAsync(a, g, "post", v, new { text = "Before anyone left." })).GetProperty("version").GetInt64();
        using (var scope = app.Services.CreateScope())
        {
            var (_, otherMembership) = OtherNode(scope);
            var (done, errors) = await otherMembership.LeaveOrRemoveAsync(f.Id, g.Id, g.MemberIdOf(b), "We talked about this.", default);
            Assert.True(done && errors is null);
        }
        // Here, at once: nothing of the room for Maya, whatever version she sends.
        await Expect.StatusAsync(await EventAsync(b, g, "moment", v), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await EventAsync(b, g, "moment", v + 1), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await b.Api.GetAsync(g.Room), HttpStatusCode.NotFound);
        // The removal's own room event raised the version on the other node; this node takes the next one.
        var after = await AcceptedAsync(a, g, "done", v + 1);
        Assert.Equal(v + 2, after.GetProperty("version").GetInt64());
        Assert.DoesNotContain(after.GetProperty("people").EnumerateArray(), p => p.GetProperty("name").GetString() == "Maya");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("holder").ValueKind); // the round ended with Sam, the only member left
    }
}
