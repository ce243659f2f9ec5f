using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Composition;
using Attune.Features.Groups;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Attune.Tests.Groups;

/// <summary>
/// Demo mode's group (issue 19): Robin is in Dr. Lee's listed group with three others, two meetings
/// are behind it with attendance, the board has posts with witness replies, and the third meeting's
/// room is open now with a round running. Its words are sealed, and seeding again adds nothing.
/// </summary>
public sealed class DemoGroupTests : IAsyncLifetime
{
    private readonly DemoApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private sealed class DemoApp() : AttuneApp(new Dictionary<string, string?> { ["Attune:Demo"] = "true" });

    private static async Task<JsonElement> JsonAsync(HttpClient client, string url) =>
        JsonDocument.Parse(await Expect.StatusAsync(await client.GetAsync(url), HttpStatusCode.OK)).RootElement;

    [Fact]
    public async Task Robin_IsInDrLeesListedGroup_WithTwoMeetingsBehindIt_ABoard_AndARoomOpenNow()
    {
        var robin = await _app.SignInAsync("robin@demo.attune.local", DemoSeeder.Password);

        // "My groups": Robin is a member under the name the group sees.
        var mine = await JsonAsync(robin.Api, "/api/v1/groups/mine");
        var membership = Assert.Single(mine.GetProperty("member").EnumerateArray());
        Assert.Equal(DemoGroup.Title, membership.GetProperty("group").GetProperty("title").GetString());
        Assert.Equal("Robin", membership.GetProperty("groupName").GetString());
        var id = membership.GetProperty("group").GetProperty("id").GetString()!;
        // The list says a meeting is on now (the third, open), not only when the next one starts.
        Assert.True(membership.GetProperty("group").GetProperty("meetingNow").GetBoolean());
        using (var robinsPages = await _app.SignInPagesAsync("robin@demo.attune.local", DemoSeeder.Password))
            Assert.Contains("a meeting is on now", await robinsPages.GetPageAsync("/groups/mine"), StringComparison.Ordinal);

        // Listed in the public directory as a checked therapist's group, with places left.
        using var anonymous = _app.CreateClient();
        var card = (await JsonAsync(anonymous, "/api/v1/groups")).GetProperty("items").EnumerateArray().Single(g => g.GetProperty("id").GetString() == id);
        Assert.True(card.GetProperty("facilitatorVerified").GetBoolean(), card.ToString());
        Assert.Equal("Dr. Lee", card.GetProperty("facilitatorName").GetString());
        Assert.Equal(2, card.GetProperty("placesLeft").GetInt32());

        // Four members in all, and Dr. Lee facilitating.
        var members = (await JsonAsync(robin.Api, $"/api/v1/groups/{id}/members")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Dr. Lee", "Robin", "Maya", "Aoife", "Jonah"], members.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("facilitator", members[0].GetProperty("role").GetString());

        // Two meetings closed (Robin came to both), one open now, three to come; Robin has said she'll come to the next.
        var meetings = (await JsonAsync(robin.Api, $"/api/v1/groups/{id}/meetings")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["closed", "closed", "open", "upcoming", "upcoming", "upcoming"], meetings.Select(m => m.GetProperty("status").GetString()));
        Assert.True(meetings[0].GetProperty("came").GetBoolean() && meetings[1].GetProperty("came").GetBoolean(), meetings[1].ToString());
        Assert.True(meetings[3].GetProperty("coming").GetBoolean(), meetings[3].ToString());
        Assert.True(meetings[2].GetProperty("startsAt").GetDateTimeOffset() < _app.Clock.GetUtcNow());
        var jonah = await _app.SignInAsync("jonah@demo.attune.local", DemoSeeder.Password);
        var jonahMeetings = (await JsonAsync(jonah.Api, $"/api/v1/groups/{id}/meetings")).GetProperty("items").EnumerateArray().ToList();
        Assert.True(jonahMeetings[0].GetProperty("came").GetBoolean() && !jonahMeetings[1].GetProperty("came").GetBoolean(), jonahMeetings[1].ToString());

        // The room open now: a round on felt age, Maya's share witnessed, Aoife holding the piece, Robin not checked in yet.
        var meetingId = meetings[2].GetProperty("id").GetString()!;
        var room = await JsonAsync(robin.Api, $"/api/v1/groups/{id}/meetings/{meetingId}/room");
        Assert.Equal("open", room.GetProperty("status").GetString());
        Assert.Equal("round", room.GetProperty("phase").GetString());
        Assert.Equal("p2-felt-age", room.GetProperty("prompt").GetProperty("id").GetString());
        var aoife = members.Single(m => m.GetProperty("name").GetString() == "Aoife").GetProperty("memberId").GetString();
        Assert.Equal(aoife, room.GetProperty("holder").GetString());
        var post = Assert.Single(room.GetProperty("posts").EnumerateArray());
        Assert.Equal("Maya", post.GetProperty("author").GetProperty("name").GetString());
        Assert.StartsWith("About seven, I think.", post.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, post.GetProperty("witnesses").GetProperty("metoo").GetInt32());
        Assert.Equal("Dr. Lee", Assert.Single(post.GetProperty("reflections").EnumerateArray()).GetProperty("author").GetProperty("name").GetString());
        Assert.Equal(["tender", "ready", null], room.GetProperty("checkIns").EnumerateArray().Select(c => c.GetProperty("word").GetString()));
        Assert.False(room.GetProperty("me").GetProperty("checkedIn").GetBoolean());

        // The meeting page shows the live room and the round's prompt to Robin.
        using var pages = await _app.SignInPagesAsync("robin@demo.attune.local", DemoSeeder.Password);
        var html = await pages.GetPageAsync($"/groups/{id}/meetings/{meetingId}");
        Assert.Contains("How old is the younger you who feels closest today?", html, StringComparison.Ordinal);
        Assert.Contains("About seven, I think.", html, StringComparison.Ordinal);

        // Robin can check in now and joins the end of the running round.
        var version = room.GetProperty("version").GetInt64();
        var checkedIn = await robin.Api.PostAsJsonAsync($"/api/v1/groups/{id}/meetings/{meetingId}/room/events", new { type = "checkIn", expectedVersion = version, suds = 4, word = "curious" });
        var after = JsonDocument.Parse(await Expect.StatusAsync(checkedIn, HttpStatusCode.OK)).RootElement;
        Assert.Equal(membership.GetProperty("memberId").GetString(), after.GetProperty("order").EnumerateArray().Last().GetString());

        // The board between meetings: three posts, each witnessed.
        var board = (await JsonAsync(robin.Api, $"/api/v1/groups/{id}/board")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, board.Count);
        Assert.Contains(board, p => p.GetProperty("text").GetString()!.StartsWith("I noticed the younger me", StringComparison.Ordinal)
            && p.GetProperty("reflections").GetArrayLength() == 1);
        // Written between the meetings they speak of, not all at the moment the demo was made.
        var first = meetings[0].GetProperty("startsAt").GetDateTimeOffset();
        var third = meetings[2].GetProperty("startsAt").GetDateTimeOffset();
        var at = board.Select(p => p.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.All(at, t => Assert.InRange(t, first, third));
        Assert.Equal(3, at.Distinct().Count());

        // Sealed like anyone's words.
        Assert.False(await _app.HoldsPlaintextAsync("hide under a table the way I used to", "GroupRoomPosts", "Body"));
        Assert.False(await _app.HoldsPlaintextAsync("didn't know where to look", "GroupBoardPosts", "Body"));

        // Seeding again (a restart in demo mode) adds nothing.
        await _app.Service<IEnumerable<IHostedService>>().OfType<DemoSeeder>().Single().StartAsync(CancellationToken.None);
        Assert.Equal(1, await _app.WithDbAsync(db => db.Set<Group>().CountAsync()));
        Assert.Equal(4, await _app.WithDbAsync(db => db.Set<GroupMember>().CountAsync()));
        Assert.Equal(3, await _app.WithDbAsync(db => db.Set<Attune.Features.Groups.GroupBoardPost>().CountAsync()));
    }
}
