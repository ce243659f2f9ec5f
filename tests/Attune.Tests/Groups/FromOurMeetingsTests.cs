using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Groups;
using Attune.Infrastructure.Jobs;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>
/// "From our meetings": a group that keeps room text for 30 days shows its closed meetings' shares on
/// the board to the people inside, by the names the group sees; a withdrawn share never shows; anyone
/// else gets 404; a group that keeps nothing past the meeting loses the words when the room closes;
/// and 30 days after the meeting they are gone from the board and from the database.
/// </summary>
public sealed class FromOurMeetingsTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static string Board(Guid groupId) => $"/api/v1/groups/{groupId}/board";

    private static async Task<JsonElement> BoardAsync(Person who, Guid groupId) =>
        JsonDocument.Parse(await Expect.StatusAsync(await who.Api.GetAsync(Board(groupId)), HttpStatusCode.OK)).RootElement;

    private static List<string> SharesOn(JsonElement board) =>
        [.. board.GetProperty("fromMeetings").EnumerateArray().SelectMany(m => m.GetProperty("posts").EnumerateArray()).Select(p => p.GetProperty("text").GetString()!)];

    /// <summary>A meeting: everyone checks in, each member in turn shares <paramref name="shares"/> (or passes), then the facilitator closes the room and its jobs run.</summary>
    private async Task<(long Version, Dictionary<string, string> PostIds)> MeetAsync(SeededGroup g, IReadOnlyList<(Person Person, string? Text)> shares, string? withdrawnBy = null)
    {
        var f = g.Facilitator;
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        foreach (var (person, _) in shares) v = (await AcceptedAsync(person, g, "checkIn", v, new { suds = 3, word = "here" })).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(f, g, "startRound", v)).GetProperty("version").GetInt64();
        var ids = new Dictionary<string, string>();
        foreach (var (person, text) in shares)
        {
            if (text is null) { v = (await AcceptedAsync(person, g, "pass", v)).GetProperty("version").GetInt64(); continue; }
            var posted = await AcceptedAsync(person, g, "post", v, new { text });
            ids[text] = posted.GetProperty("posts").EnumerateArray().Last().GetProperty("id").GetString()!;
            v = (await AcceptedAsync(person, g, "done", posted.GetProperty("version").GetInt64())).GetProperty("version").GetInt64();
        }
        if (withdrawnBy is not null)
        {
            var withdrawer = shares.First(s => s.Text == withdrawnBy).Person;
            v = (await AcceptedAsync(withdrawer, g, "withdraw", v, new { postId = ids[withdrawnBy] })).GetProperty("version").GetInt64();
        }
        v = (await AcceptedAsync(f, g, "close", v)).GetProperty("version").GetInt64();
        await app.JobsDoneAsync();
        await app.SettledAsync();
        return (v, ids);
    }

    [Fact]
    public async Task Days30_KeepsTheSharesForThePeopleInside_WithdrawnNeverShow_StrangersAndTheRemovedGet404_AndAfter30DaysTheyAreGone()
    {
        var f = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var kit = await app.RegisterAsync();
        var robin = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var g = await SeedRoomAsync(app, f, [(sam, "Sam"), (kit, "Kit"), (robin, "Robin")]);
        await app.WithDbAsync(async db => await db.Set<Group>().Where(x => x.Id == g.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Retention, "days30")));

        const string kept = "Kept Canary Wren 5521", withdrawn = "Withdrawn Canary Heron 7730", robins = "Robin Canary Finch 1184";
        var (v, ids) = await MeetAsync(g, [(sam, kept), (kit, withdrawn), (robin, robins)], withdrawnBy: withdrawn);
        Assert.True(await app.WithDbAsync(db => db.Set<GroupRoomPost>().AnyAsync(p => p.MeetingId == g.MeetingId)), "days30 keeps the room's words when it closes");

        // Kit reads the meeting again on the board: Sam's and Robin's shares by their group names; Kit's own withdrawn share is nowhere.
        var board = await BoardAsync(kit, g.Id);
        Assert.Equal("days30", board.GetProperty("retention").GetString());
        var meeting = Assert.Single(board.GetProperty("fromMeetings").EnumerateArray());
        Assert.Equal(g.MeetingId.ToString(), meeting.GetProperty("meetingId").GetString());
        Assert.Equal(1, meeting.GetProperty("number").GetInt32());
        Assert.Equal(meeting.GetProperty("startsAt").GetDateTimeOffset().AddMinutes(90).AddDays(30), meeting.GetProperty("goesAt").GetDateTimeOffset());
        Assert.Equal([kept, robins], SharesOn(board));
        var first = meeting.GetProperty("posts")[0];
        Assert.Equal("Sam", first.GetProperty("author").GetProperty("name").GetString());
        Assert.False(first.GetProperty("mine").GetBoolean());
        Assert.True((await BoardAsync(sam, g.Id)).GetProperty("fromMeetings")[0].GetProperty("posts")[0].GetProperty("mine").GetBoolean());
        Assert.Equal([kept, robins], SharesOn(await BoardAsync(f, g.Id)));

        // Anyone outside gets 404, and so does Robin once removed (whose share goes with them).
        await Expect.StatusAsync(await stranger.Api.GetAsync(Board(g.Id)), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await f.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/groups/{g.Id}/members/{g.MemberIdOf(robin)}")
        { Content = JsonContent.Create(new { reason = "The group isn't the right place just now." }) }), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await robin.Api.GetAsync(Board(g.Id)), HttpStatusCode.NotFound);
        Assert.Equal([kept], SharesOn(await BoardAsync(kit, g.Id)));

        // On the board page Sam sees it under "From our meetings" and withdraws it there (the room's own withdraw): gone for everyone.
        using var samPages = await app.SignInPagesAsync(sam.Email);
        var page = await samPages.GetPageAsync($"/groups/{g.Id}/board");
        Assert.Contains("From our meetings", page, StringComparison.Ordinal);
        Assert.Contains(kept, page, StringComparison.Ordinal);
        Assert.DoesNotContain(withdrawn, page, StringComparison.Ordinal);
        var withdrew = await samPages.PostFormAsync($"/groups/{g.Id}/board?handler=WithdrawShare&meetingId={g.MeetingId}&postId={ids[kept]}", [], $"/groups/{g.Id}/board");
        Assert.Equal(HttpStatusCode.Redirect, withdrew.StatusCode);
        Assert.DoesNotContain(kept, await samPages.GetPageAsync($"/groups/{g.Id}/board"), StringComparison.Ordinal);
        Assert.Empty(SharesOn(await BoardAsync(kit, g.Id)));
        Assert.Empty((await BoardAsync(kit, g.Id)).GetProperty("fromMeetings").EnumerateArray());

        // A second meeting's share stays until 30 days after that meeting ended, then goes from the board and the database.
        var second = await app.WithDbAsync(async db =>
        {
            var m = new GroupMeeting { Id = Attune.Infrastructure.SequentialGuid.Next(), GroupId = g.Id, Number = 2, StartsAt = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5), Minutes = 90 };
            db.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });
        var g2 = g with { MeetingId = second, Members = [.. g.Members.Where(m => m.Person.Id != robin.Id)] };
        const string later = "Later Canary Plover 3307";
        await MeetAsync(g2, [(sam, later), (kit, null)]);
        Assert.Equal([later], SharesOn(await BoardAsync(kit, g.Id)));

        app.Clock.Advance(TimeSpan.FromDays(29));
        (sam, kit) = (await app.SignInAsync(sam.Email), await app.SignInAsync(kit.Email));
        Assert.Equal([later], SharesOn(await BoardAsync(kit, g.Id)));
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(2));
        kit = await app.SignInAsync(kit.Email);
        Assert.Empty(SharesOn(await BoardAsync(kit, g.Id)));
        await app.WithDbAsync(async db =>
        {
            db.Add(new Job { Id = Attune.Infrastructure.SequentialGuid.Next(), Kind = GroupJobs.Retention, Subject = g.Id, DueAt = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        await app.JobsDoneAsync();
        Assert.False(await app.WithDbAsync(db => db.Set<GroupRoomPost>().AnyAsync(p => p.MeetingId == second || p.MeetingId == g.MeetingId)));
    }

    [Fact]
    public async Task MeetingRetention_TheRoomsWordsGoWhenItCloses_AndTheBoardHasNothingFromTheMeeting()
    {
        var f = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var kit = await app.RegisterAsync();
        var g = await SeedRoomAsync(app, f, [(sam, "Sam"), (kit, "Kit")]);
        Assert.Equal("meeting", await app.WithDbAsync(db => db.Set<Group>().Where(x => x.Id == g.Id).Select(x => x.Retention).SingleAsync()));

        // Before it opens, the meetings page shows each person their way in, and the group page says what is kept, in words.
        using (var kitPages = await app.SignInPagesAsync(kit.Email))
        {
            var meetings = await kitPages.GetPageAsync($"/groups/{g.Id}/meetings");
            Assert.Contains($"href=\"/groups/{g.Id}/meetings/{g.MeetingId}\">Go to the waiting room</a>", meetings, StringComparison.Ordinal);
            var about = await kitPages.GetPageAsync($"/groups/{g.Id}");
            Assert.Contains("<dd>English</dd>", about, StringComparison.Ordinal);
            Assert.Contains("What is said in a meeting is gone when the meeting closes.", about, StringComparison.Ordinal);
            Assert.Contains("Posts on the group&#x27;s board go 30 days after they were written.", about, StringComparison.Ordinal);
        }
        using (var fPages = await app.SignInPagesAsync(f.Email))
            Assert.Contains($"href=\"/groups/{g.Id}/meetings/{g.MeetingId}\">Open the room</a>", await fPages.GetPageAsync($"/groups/{g.Id}/meetings"), StringComparison.Ordinal);

        await MeetAsync(g, [(sam, "Gone Canary Linnet 6604"), (kit, null)]);

        Assert.False(await app.WithDbAsync(db => db.Set<GroupRoomPost>().AnyAsync(p => p.MeetingId == g.MeetingId)));
        var board = await BoardAsync(kit, g.Id);
        Assert.Equal("meeting", board.GetProperty("retention").GetString());
        Assert.Empty(board.GetProperty("fromMeetings").EnumerateArray());
    }
}
