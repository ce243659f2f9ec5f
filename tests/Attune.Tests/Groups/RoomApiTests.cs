using System.Net;
using System.Text.Json;
using Attune.Features.Groups.Room;
using Attune.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>The room through its API: who may see and act, the answers 200/409/403/404/400, the frames on the event stream and what is stored.</summary>
public sealed class RoomApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Canary = "Room Canary Heron 4471";

    private async Task<(SeededGroup G, Person F, Person A, Person B)> GroupOfTwoAsync()
    {
        var f = await app.RegisterAsync("Facilitator");
        var a = await app.RegisterAsync("Member A");
        var b = await app.RegisterAsync("Member B");
        return (await SeedRoomAsync(app, f, [(a, "Sam"), (b, "Maya")]), f, a, b);
    }

    [Fact]
    public async Task OnlyTheFacilitatorAndMembers_SeeTheRoom_AnyoneElseGets404()
    {
        var (g, f, a, _) = await GroupOfTwoAsync();
        var stranger = await app.RegisterAsync("Stranger");
        var room = await RoomAsync(f, g);
        Assert.Equal(0, room.GetProperty("version").GetInt64());
        Assert.Equal("waiting", room.GetProperty("status").GetString());
        Assert.Equal("facilitator", room.GetProperty("me").GetProperty("role").GetString());
        Assert.Equal("member", (await RoomAsync(a, g)).GetProperty("me").GetProperty("role").GetString());
        await Expect.StatusAsync(await stranger.Api.GetAsync(g.Room), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await EventAsync(stranger, g, "open", 0), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/groups/{g.Id}/meetings/{Guid.NewGuid()}/room"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await f.Api.GetAsync($"/api/v1/groups/{g.Id}/meetings/{Guid.NewGuid()}/room"), HttpStatusCode.NotFound);
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(g.Room)).StatusCode);
        // Nothing the stranger tried was written.
        Assert.Equal(0, (await RoomAsync(f, g)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task AStaleOrMissingVersion_Answers409_WithTheCurrentVersion()
    {
        var (g, f, a, _) = await GroupOfTwoAsync();
        Assert.Equal(1, (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64());
        var stale = await EventAsync(a, g, "checkIn", 0, new { word = "tired" });
        var problem = JsonDocument.Parse(await Expect.StatusAsync(stale, HttpStatusCode.Conflict)).RootElement;
        Assert.Equal(1, problem.GetProperty("version").GetInt64());
        Assert.Equal("The room has moved on", problem.GetProperty("title").GetString());
        var missing = await a.Api.PostAsync($"{g.Room}/events", JsonContent(new { type = "checkIn", word = "tired" }));
        Assert.Equal(1, JsonDocument.Parse(await Expect.StatusAsync(missing, HttpStatusCode.Conflict)).RootElement.GetProperty("version").GetInt64());
        Assert.Equal(1, (await RoomAsync(a, g)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task PostingWithoutThePiece_Answers403_NamingWhoseTurnItIs()
    {
        var (g, f, a, b) = await GroupOfTwoAsync();
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(a, g, "checkIn", v, new { suds = 4, word = "here" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        var round = await AcceptedAsync(f, g, "startRound", v, new { prompt = "What did you need then?" });
        Assert.Equal(g.MemberIdOf(a).ToString(), round.GetProperty("holder").GetString());
        Assert.Equal("What did you need then?", round.GetProperty("prompt").GetProperty("text").GetString());
        v = round.GetProperty("version").GetInt64();
        var refused = await EventAsync(b, g, "post", v, new { text = "Not my turn yet" });
        var problem = JsonDocument.Parse(await Expect.StatusAsync(refused, HttpStatusCode.Forbidden)).RootElement;
        Assert.Contains("Sam's turn", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        await Expect.StatusAsync(await EventAsync(a, g, "close", v), HttpStatusCode.Forbidden);
        Assert.Equal(v, (await RoomAsync(f, g)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task BadInput_Answers400_NamingTheField_AndNothingChanges()
    {
        var (g, f, a, _) = await GroupOfTwoAsync();
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        await Expect.ProblemNamingAsync(await EventAsync(a, g, "dance", v), "type");
        await Expect.ProblemNamingAsync(await EventAsync(a, g, "checkIn", v, new { suds = 11 }), "suds");
        await Expect.ProblemNamingAsync(await EventAsync(a, g, "checkIn", v, new { word = new string('w', RoomInputs.MaxWord + 1) }), "word");
        await Expect.ProblemNamingAsync(await EventAsync(f, g, "mute", v, new { memberId = Guid.NewGuid() }), "memberId");
        await Expect.ProblemNamingAsync(await EventAsync(f, g, "startRound", v, new { promptId = "no-such-prompt" }), "promptId");
        // The round can't start before anyone has checked in: the engine's 400 names the order.
        await Expect.ProblemNamingAsync(await EventAsync(f, g, "startRound", v), "order");
        Assert.Equal(v, (await RoomAsync(f, g)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task ARound_ReachesEveryoneAsIdsAndVersions_WhileItsWordsAreSealed()
    {
        var (g, f, a, b) = await GroupOfTwoAsync();
        var stranger = await app.RegisterAsync("Stranger");
        await using var fStream = await LiveEvents.OpenAsync(app, f);
        await using var aStream = await LiveEvents.OpenAsync(app, a);
        await using var bStream = await LiveEvents.OpenAsync(app, b);
        await using var strangerStream = await LiveEvents.OpenAsync(app, stranger);

        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(a, g, "checkIn", v, new { suds = 6, word = "wobbly" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "checkIn", v, new { suds = 2, word = "steady" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(f, g, "startRound", v)).GetProperty("version").GetInt64();
        var posted = await AcceptedAsync(a, g, "post", v, new { text = Canary });
        Assert.False(posted.TryGetProperty("safety", out var safety) && safety.ValueKind != JsonValueKind.Null, "A post without crisis words carries no safety answer");
        var postId = posted.GetProperty("posts")[0].GetProperty("id").GetString()!;
        v = posted.GetProperty("version").GetInt64();
        await Expect.StatusAsync(await EventAsync(b, g, "witness", v, new { postId, kind = "hear" }), HttpStatusCode.Forbidden);
        v = (await AcceptedAsync(a, g, "done", v)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "witness", v, new { postId, kind = "hear" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "witness", v, new { postId, text = Canary + " heard" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "pass", v)).GetProperty("version").GetInt64();

        var asB = await RoomAsync(b, g);
        Assert.Equal("betweenRounds", asB.GetProperty("phase").GetString());
        var post = asB.GetProperty("posts")[0];
        Assert.Equal(Canary, post.GetProperty("text").GetString());
        Assert.Equal("Sam", post.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal(1, post.GetProperty("witnesses").GetProperty("hear").GetInt32());
        Assert.Equal(new[] { "hear" }, post.GetProperty("myWitnesses").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.Equal(Canary + " heard", post.GetProperty("reflections")[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, asB.GetProperty("facilitator").ValueKind);
        var samAsSeenByB = asB.GetProperty("checkIns").EnumerateArray().First(c => c.GetProperty("name").GetString() == "Sam");
        Assert.Equal("wobbly", samAsSeenByB.GetProperty("word").GetString());
        Assert.Equal(JsonValueKind.Null, samAsSeenByB.GetProperty("suds").ValueKind);
        var asF = await RoomAsync(f, g);
        Assert.Equal(6, asF.GetProperty("checkIns").EnumerateArray().First(c => c.GetProperty("name").GetString() == "Sam").GetProperty("suds").GetInt32());

        foreach (var stream in new[] { fStream, aStream, bStream })
        {
            for (var expected = 1L; expected <= v; expected++)
            {
                var (type, data) = await NextFrameAsync(stream);
                Assert.Equal("group.room", type);
                Assert.Equal(["id", "groupId", "meetingId", "version"], data.EnumerateObject().Select(p => p.Name).ToArray());
                Assert.Equal(expected, data.GetProperty("version").GetInt64());
                Assert.Equal(g.MeetingId.ToString(), data.GetProperty("meetingId").GetString());
                Assert.Equal(g.Id.ToString(), data.GetProperty("groupId").GetString());
            }
        }
        Assert.False(strangerStream.Frames.Reader.TryRead(out _), "Someone outside the group heard of the room");
        Assert.False(await app.HoldsPlaintextAsync(Canary, "GroupRoomPosts", "Body"));
        Assert.False(await app.HoldsPlaintextAsync(Canary, "GroupRoomWitness", "Text"));
        Assert.False(await app.HoldsPlaintextAsync("wobbly", "GroupRoomChecks", "Word"));
    }

    [Fact]
    public async Task PreferReturnMinimal_AnswersWithTheVersionAndThePostsId_NoWordsOrNames_AndTheRoomIsTheSame()
    {
        var (g, f, a, b) = await GroupOfTwoAsync();
        await using var bStream = await LiveEvents.OpenAsync(app, b);
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(a, g, "checkIn", v, new { suds = 4, word = "wobbly" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(f, g, "startRound", v)).GetProperty("version").GetInt64();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{g.Room}/events")
        {
            Content = JsonContent(new { type = "post", expectedVersion = v, text = Canary }),
        };
        request.Headers.Add("Prefer", "respond-async, return=minimal");
        using var response = await a.Api.SendAsync(request);
        var raw = await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("return=minimal", Assert.Single(response.Headers.GetValues("Preference-Applied")));
        var brief = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(["groupId", "meetingId", "version", "status", "phase", "holder", "round", "postId"],
            brief.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => p.Name).ToArray());
        Assert.Equal(v + 1, brief.GetProperty("version").GetInt64());
        Assert.Equal("round", brief.GetProperty("phase").GetString());
        Assert.Equal(g.MemberIdOf(a).ToString(), brief.GetProperty("holder").GetString());
        // Nothing anyone wrote or is called travels in the short answer.
        Assert.DoesNotContain(Canary, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Sam", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("wobbly", raw, StringComparison.Ordinal);

        // The room is as the full answer would have shown it: the post, by its id, opens for the others.
        var post = Assert.Single((await RoomAsync(b, g)).GetProperty("posts").EnumerateArray());
        Assert.Equal(brief.GetProperty("postId").GetString(), post.GetProperty("id").GetString());
        Assert.Equal(Canary, post.GetProperty("text").GetString());
        for (var expected = 1L; expected <= v + 1; expected++)
            Assert.Equal(expected, (await NextFrameAsync(bStream)).Data.GetProperty("version").GetInt64());

        // Any other event answers briefly too (no post id), and a refusal is the same either way.
        using var done = new HttpRequestMessage(HttpMethod.Post, $"{g.Room}/events") { Content = JsonContent(new { type = "done", expectedVersion = v + 1 }) };
        done.Headers.Add("Prefer", "return=minimal");
        var passed = JsonDocument.Parse(await Expect.StatusAsync(await a.Api.SendAsync(done), HttpStatusCode.OK)).RootElement;
        Assert.Equal(v + 2, passed.GetProperty("version").GetInt64());
        Assert.Equal(g.MemberIdOf(b).ToString(), passed.GetProperty("holder").GetString());
        Assert.True(!passed.TryGetProperty("postId", out var none) || none.ValueKind == JsonValueKind.Null, passed.ToString());
        using var stale = new HttpRequestMessage(HttpMethod.Post, $"{g.Room}/events") { Content = JsonContent(new { type = "pass", expectedVersion = v }) };
        stale.Headers.Add("Prefer", "return=minimal");
        Assert.Equal(v + 2, JsonDocument.Parse(await Expect.StatusAsync(await b.Api.SendAsync(stale), HttpStatusCode.Conflict)).RootElement.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task TheAuthorWithdraws_AndThePostIsGoneForEveryone()
    {
        var (g, f, a, b) = await GroupOfTwoAsync();
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(a, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(f, g, "startRound", v)).GetProperty("version").GetInt64();
        var posted = await AcceptedAsync(a, g, "post", v, new { text = "Something I'd rather take back" });
        var postId = posted.GetProperty("posts")[0].GetProperty("id").GetString()!;
        v = posted.GetProperty("version").GetInt64();
        await Expect.StatusAsync(await EventAsync(b, g, "withdraw", v, new { postId }), HttpStatusCode.Forbidden);
        v = (await AcceptedAsync(a, g, "withdraw", v, new { postId })).GetProperty("version").GetInt64();
        Assert.Empty((await RoomAsync(b, g)).GetProperty("posts").EnumerateArray());
        Assert.Empty((await RoomAsync(f, g)).GetProperty("posts").EnumerateArray());
        var id = Guid.Parse(postId);
        Assert.False(await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
            db.Set<Attune.Features.Groups.GroupRoomPost>(), p => p.Id == id)), "The withdrawn post's row is still stored");
    }

    [Fact]
    public async Task EightMembersActingAtOnce_EachStreamSeesEveryVersionOnce_InOrder()
    {
        var f = await app.RegisterAsync("Facilitator");
        var people = new List<(Person, string)>();
        for (var i = 0; i < 8; i++) people.Add((await app.RegisterAsync($"Member {i}"), $"Member{i}"));
        var g = await SeedRoomAsync(app, f, people);
        await using var fStream = await LiveEvents.OpenAsync(app, f);
        await using var lastStream = await LiveEvents.OpenAsync(app, people[^1].Item1);
        await AcceptedAsync(f, g, "open", 0);
        const int Toggles = 3;
        await Task.WhenAll(people.Select(p => Task.Run(async () =>
        {
            var done = 0;
            var checkedIn = false;
            while (done < Toggles)
            {
                var version = (await RoomAsync(p.Item1, g)).GetProperty("version").GetInt64();
                var response = await EventAsync(p.Item1, g, checkedIn ? "moment" : "checkIn", version, checkedIn ? null : new { pass = true });
                if (response.StatusCode == HttpStatusCode.Conflict) continue;
                await Expect.StatusAsync(response, HttpStatusCode.OK);
                if (checkedIn) done++;
                checkedIn = true;
            }
        })));
        var final = 1 + people.Count * (1 + Toggles);
        Assert.Equal(final, (await RoomAsync(f, g)).GetProperty("version").GetInt64());
        foreach (var stream in new[] { fStream, lastStream })
            for (var expected = 1L; expected <= final; expected++)
                Assert.Equal(expected, (await NextFrameAsync(stream)).Data.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task SomeoneWhoLeavesTheGroup_LeavesTheOpenRoom_WithAVersionTheOthersHear()
    {
        var (g, f, a, b) = await GroupOfTwoAsync();
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(a, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(b, g, "checkIn", v, new { pass = true })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(f, g, "startRound", v)).GetProperty("version").GetInt64();
        await using var aStream = await LiveEvents.OpenAsync(app, a);
        await using var bStream = await LiveEvents.OpenAsync(app, b);

        // What the group's own leave does: the member row stops being active, then the rooms hear of it.
        await app.WithDbAsync(async db =>
        {
            var row = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Set<Attune.Features.Groups.GroupMember>(), m => m.UserId == a.Id);
            row.Status = "left";
            return await db.SaveChangesAsync();
        });
        using (var scope = app.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IRoomMembership>().MemberLeftAsync(g.Id, a.Id, CancellationToken.None);

        var room = await RoomAsync(b, g);
        Assert.Equal(v + 1, room.GetProperty("version").GetInt64());
        Assert.Equal(g.MemberIdOf(b).ToString(), room.GetProperty("holder").GetString());
        Assert.DoesNotContain(g.MemberIdOf(a).ToString(), room.GetProperty("order").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(v + 1, (await NextFrameAsync(bStream)).Data.GetProperty("version").GetInt64());
        await Expect.StatusAsync(await a.Api.GetAsync(g.Room), HttpStatusCode.NotFound);
        await AcceptedAsync(b, g, "pass", v + 1);
        await Task.Delay(200);
        Assert.False(aStream.Frames.Reader.TryRead(out var late), $"Someone who left still heard of the room: {late.Data}");
    }

    private static async Task<(string Type, JsonElement Data)> NextFrameAsync(LiveEvents stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await stream.Frames.Reader.ReadAsync(timeout.Token);
    }

    private static System.Net.Http.Json.JsonContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body);
}
