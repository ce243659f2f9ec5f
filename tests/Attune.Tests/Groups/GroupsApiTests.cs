using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Groups;

/// <summary>
/// A group's cycle through the API: creating it (sizes, DST gaps and overlaps named by field),
/// applying and being answered (capacity answers 409), agreeing under a group name (never an email),
/// leaving and removal (404 afterwards, the reason on the removed person's "mine"), and the
/// invitation link that dies when a new one is made.
/// </summary>
public sealed class GroupsApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement;

    [Fact]
    public async Task Create_RefusesBadSizesAndClockChangeTimes_NamingTheField()
    {
        var f = await app.RegisterAsync();
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(capacity: 2)), "capacity");
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(capacity: 13)), "capacity");
        // London's clocks go forward at 01:00 on 28 March 2027 and back at 02:00 on 31 October 2027.
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(meetings: 1, timeZone: "Europe/London", firstLocal: new DateTime(2027, 3, 28, 1, 30, 0))), "meetings[0].startsAt");
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(meetings: 1, timeZone: "Europe/London", firstLocal: new DateTime(2027, 10, 31, 1, 30, 0))), "meetings[0].startsAt");
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(meetings: 25)), "meetings");
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(listed: true, join: "invite")), "listed");
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(language: "xx")), "language");
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(language: "English")), "language");
        Assert.Empty(Json(await Expect.StatusAsync(await f.Api.GetAsync("/api/v1/groups/mine"), HttpStatusCode.OK)).GetProperty("facilitating").EnumerateArray());

        var created = await f.Api.PostAsJsonAsync("/api/v1/groups", Support.Groups.Body(listed: true, join: "apply", firstLocal: new DateTime(2027, 3, 21, 19, 0, 0), meetings: 2));
        var g = Json(await Expect.StatusAsync(created, HttpStatusCode.Created));
        Assert.Equal($"/api/v1/groups/{g.GetProperty("id").GetString()}", created.Headers.Location?.OriginalString);
        Assert.Equal("facilitator", g.GetProperty("role").GetString());
        Assert.Equal("pending", g.GetProperty("listing").GetString()); // not a verified therapist: an administrator approves it
        Assert.Equal(8, g.GetProperty("placesLeft").GetInt32());
        // The language is a code from the list: a name or an unknown code is refused on edit too, and nothing changes.
        var groupUrl = $"/api/v1/groups/{g.GetProperty("id").GetString()}";
        await Expect.ProblemNamingAsync(await f.Api.PatchAsJsonAsync(groupUrl, new { language = "Polish" }), "language");
        Assert.Equal("en", Json(await Expect.StatusAsync(await f.Api.GetAsync(groupUrl), HttpStatusCode.OK)).GetProperty("language").GetString());
        Assert.Equal("pl", Json(await Expect.StatusAsync(await f.Api.PatchAsJsonAsync(groupUrl, new { language = "pl" }), HttpStatusCode.OK)).GetProperty("language").GetString());
        var meetings = Json(await Expect.StatusAsync(await f.Api.GetAsync($"/api/v1/groups/{g.GetProperty("id").GetString()}/meetings"), HttpStatusCode.OK)).GetProperty("items");
        Assert.Equal(2, meetings.GetArrayLength());
        // 19:00 in Dublin is 19:00Z before the change and 18:00Z after it.
        Assert.Equal(new DateTimeOffset(2027, 3, 21, 19, 0, 0, TimeSpan.Zero), meetings[0].GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 18, 0, 0, TimeSpan.Zero), meetings[1].GetProperty("startsAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Directory_ListsVerifiedOrApprovedGroups_NeverPendingHiddenOrClosed()
    {
        var word = "Kestrel" + Guid.NewGuid().ToString("N")[..6];
        var therapist = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Directory");
        var admin = await app.RegisterAsync();
        Assert.Equal(0, await Attune.Features.Account.Administrators.RunCommandAsync(app.Services, ["admin", "grant", admin.Email]));
        var adminApi = (await app.SignInAsync(admin.Email)).Api;
        await Expect.StatusAsync(await adminApi.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { verified = true }), HttpStatusCode.NoContent);
        var verified = await Support.Groups.CreateGroupAsync(therapist, Support.Groups.Body(title: $"{word} verified", listed: true, join: "apply", part: 2));
        var someone = await app.RegisterAsync();
        var pending = await Support.Groups.CreateGroupAsync(someone, Support.Groups.Body(title: $"{word} pending", listed: true, join: "apply"));
        var hidden = await Support.Groups.CreateGroupAsync(therapist, Support.Groups.Body(title: $"{word} hidden", listed: true, join: "apply"));
        var closed = await Support.Groups.CreateGroupAsync(therapist, Support.Groups.Body(title: $"{word} closed", listed: true, join: "apply"));
        await app.WithDbAsync(async db =>
        {
            (await db.Set<Attune.Features.Groups.Group>().FindAsync(Guid.Parse(hidden.Id)))!.HiddenByAdmin = true;
            (await db.Set<Attune.Features.Groups.Group>().FindAsync(Guid.Parse(closed.Id)))!.ClosedAt = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
        using var anonymous = app.CreateClient();
        async Task<List<string>> TitlesAsync(string query) =>
            [.. Json(await Expect.StatusAsync(await anonymous.GetAsync($"/api/v1/groups?q={word}{query}"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];
        Assert.Equal([$"{word} verified"], await TitlesAsync(""));
        Assert.Empty(await TitlesAsync("&part=1")); // the group suggests part 2 and on
        Assert.Equal([$"{word} verified"], await TitlesAsync("&part=3"));
        Assert.Equal([$"{word} verified"], await TitlesAsync("&language=en"));
        await Expect.ProblemNamingAsync(await anonymous.GetAsync($"/api/v1/groups?q={word}&language=english"), "language");

        // An administrator approves the unverified facilitator's group on /admin/groups.
        var pages = await app.SignInPagesAsync(admin.Email);
        await pages.PostFormAsync("/admin/groups?id=" + pending.Id, new Dictionary<string, string> { ["approved"] = "true" }, "/admin/groups");
        Assert.Contains($"{word} pending", await TitlesAsync(""));
        var card = Json(await Expect.StatusAsync(await anonymous.GetAsync($"/api/v1/groups?q={word}"), HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.False(card.TryGetProperty("facilitatorId", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/groups/{hidden.Id}")).StatusCode);
        Assert.Contains($"{word} verified", await anonymous.GetStringAsync($"/therapists/{profileId}"));
    }

    [Fact]
    public async Task Applications_AreAnswered_CapacityAnswers409_AndTheDeclineNoteIsKind()
    {
        var f = await app.RegisterAsync();
        var g = await Support.Groups.CreateGroupAsync(f, Support.Groups.Body(capacity: 3, join: "apply", questions: ["What would you like from the group?"]));
        await app.WithDbAsync(async db => { (await db.Set<Attune.Features.Groups.Group>().FindAsync(Guid.Parse(g.Id)))!.Listed = false; return 0; });
        // An unlisted group is found only through a link: apply through the join route instead for the first three.
        var link = Json(await Expect.StatusAsync(await f.Api.PostAsync($"/api/v1/groups/{g.Id}/invitation-link", null), HttpStatusCode.OK)).GetProperty("url").GetString()!;
        var token = link.Split('/')[^1];
        var people = new List<Person>();
        for (var i = 0; i < 4; i++) people.Add(await app.RegisterAsync($"Person {i}"));
        for (var i = 0; i < 3; i++)
            Assert.Equal("accepted", Json(await Expect.StatusAsync(await people[i].Api.PostAsync($"/api/v1/groups/join/{token}", null), HttpStatusCode.OK)).GetProperty("status").GetString());
        await Expect.ProblemNamingAsync(await people[3].Api.PostAsync($"/api/v1/groups/join/{token}", null), "token"); // full

        // A listed group: apply, and the facilitator answers.
        var h = await Support.Groups.CreateGroupAsync(f, Support.Groups.Body(capacity: 3, join: "apply", questions: ["What would you like from the group?"]));
        await app.WithDbAsync(async db => { var r = (await db.Set<Attune.Features.Groups.Group>().FindAsync(Guid.Parse(h.Id)))!; r.Listed = true; r.ApprovedAt = DateTime.UtcNow; return await db.SaveChangesAsync(); });
        await Expect.ProblemNamingAsync(await f.Api.PostAsJsonAsync($"/api/v1/groups/{h.Id}/applications", new { answers = new[] { "x" } }), "group");
        await Expect.ProblemNamingAsync(await people[0].Api.PostAsJsonAsync($"/api/v1/groups/{h.Id}/applications", new { answers = Array.Empty<string>() }), "answers");
        var apps = new List<string>();
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var p = i < 4 ? people[i] : await app.RegisterAsync("Person 4");
            if (i == 4) people.Add(p);
            answers.Add($"Quiet answer {i} {Guid.NewGuid():N}");
            apps.Add(await Support.Groups.ApplyAsync(p, h.Id, [answers[i]]));
        }
        var list = Json(await Expect.StatusAsync(await f.Api.GetAsync($"/api/v1/groups/{h.Id}/applications"), HttpStatusCode.OK)).GetProperty("items");
        Assert.Equal(answers[0], list[0].GetProperty("answers")[0].GetProperty("answer").GetString());
        var log = await Expect.StatusAsync(await people[0].Api.GetAsync("/api/v1/me/access-log"), HttpStatusCode.OK);
        Assert.Contains("groupApplication", log);
        for (var i = 0; i < 3; i++) await Support.Groups.AcceptAsync(f, h.Id, apps[i]);
        var full = await f.Api.PostAsync($"/api/v1/groups/{h.Id}/applications/{apps[3]}/accept", null);
        Assert.Contains("full", await Expect.StatusAsync(full, HttpStatusCode.Conflict));
        Assert.Equal("waitlisted", Json(await Expect.StatusAsync(await f.Api.PostAsync($"/api/v1/groups/{h.Id}/applications/{apps[3]}/waitlist", null), HttpStatusCode.OK)).GetProperty("status").GetString());
        await Expect.StatusAsync(await f.Api.PostAsync($"/api/v1/groups/{h.Id}/applications/{apps[4]}/decline", null), HttpStatusCode.OK);
        var mine = Json(await Expect.StatusAsync(await people[4].Api.GetAsync("/api/v1/groups/mine"), HttpStatusCode.OK));
        var declined = mine.GetProperty("applied").EnumerateArray().Single(a => a.GetProperty("group").GetProperty("id").GetString() == h.Id);
        Assert.Equal("declined", declined.GetProperty("status").GetString());
        Assert.Contains("says nothing about you", declined.GetProperty("declineNote").GetString());
        // Someone else's application is not theirs to answer.
        var stranger = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.PostAsync($"/api/v1/groups/{h.Id}/applications/{apps[3]}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.GetAsync($"/api/v1/groups/{h.Id}/applications")).StatusCode);
    }

    [Fact]
    public async Task Members_AreKnownByGroupName_LeaveAndRemovalAnswer404After_AndTheLinkRotates()
    {
        var f = await app.RegisterAsync("Facilitator Person");
        var g = await Support.Groups.CreateGroupAsync(f);
        var a = await app.RegisterAsync("Alex Longname");
        var b = await app.RegisterAsync("Blair Longname");
        var c = await app.RegisterAsync("Casey Longname");
        var link1 = await Support.Groups.InvitationTokenAsync(f, g.Id);
        await Expect.StatusAsync(await a.Api.PostAsync($"/api/v1/groups/join/{link1}", null), HttpStatusCode.OK);
        await Expect.ProblemNamingAsync(await a.Api.PostAsJsonAsync($"/api/v1/groups/{g.Id}/agreement", new { accept = false, groupName = "Fern" }), "accept");
        await Expect.ProblemNamingAsync(await a.Api.PostAsJsonAsync($"/api/v1/groups/{g.Id}/agreement", new { accept = true, groupName = "" }), "groupName");
        var memberA = await Support.Groups.AgreeAsync(a, g.Id, "Fern");
        var link2 = await Support.Groups.InvitationTokenAsync(f, g.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.PostAsync($"/api/v1/groups/join/{link1}", null)).StatusCode); // the old link died
        var memberB = await Support.Groups.JoinByLinkAsync(b, g.Id, link2, "Moss");

        var members = await Expect.StatusAsync(await b.Api.GetAsync($"/api/v1/groups/{g.Id}/members"), HttpStatusCode.OK);
        Assert.Contains("Fern", members);
        Assert.Contains("Moss", members);
        foreach (var p in new[] { a, b, f }) Assert.DoesNotContain(p.Email, members, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Longname", members);

        // B leaves; A is removed with a reason that reaches A alone.
        await Expect.StatusAsync(await b.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/groups/{g.Id}/members/{memberB}")), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.GetAsync($"/api/v1/groups/{g.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/groups/{g.Id}/members/{memberB}"))).StatusCode);
        await using var stream = await LiveEvents.OpenAsync(app, a);
        await Expect.StatusAsync(await f.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/groups/{g.Id}/members/{memberA}") { Content = JsonContent.Create(new { reason = "The group needs a pause from you for now" }) }), HttpStatusCode.NoContent);
        Assert.Equal(("group.removed", g.Id), await stream.NextAsync("group.removed"));
        Assert.Equal(HttpStatusCode.NotFound, (await a.Api.GetAsync($"/api/v1/groups/{g.Id}/members")).StatusCode);
        var removed = Json(await Expect.StatusAsync(await a.Api.GetAsync("/api/v1/groups/mine"), HttpStatusCode.OK)).GetProperty("removed");
        Assert.Equal("The group needs a pause from you for now", removed[0].GetProperty("reason").GetString());

        // A newcomer after the key moved on still reads the names of those who stayed.
        await Support.Groups.JoinByLinkAsync(c, g.Id, link2, "Reed");
        var d = await app.RegisterAsync();
        await Support.Groups.JoinByLinkAsync(d, g.Id, link2, "Sorrel");
        var seen = Json(await Expect.StatusAsync(await f.Api.PostAsync($"/api/v1/groups/{g.Id}/invitation-link", null), HttpStatusCode.OK));
        Assert.NotNull(seen.GetProperty("url").GetString());
        var now = await Expect.StatusAsync(await d.Api.GetAsync($"/api/v1/groups/{g.Id}/members"), HttpStatusCode.OK);
        Assert.Contains("Reed", now);
        Assert.DoesNotContain("Fern", now);
    }

    [Fact]
    public async Task AFollowUpCycle_AcceptsThePreviousCyclesMembersAtOnce()
    {
        var f = await app.RegisterAsync();
        var first = await Support.Groups.CreateGroupAsync(f);
        var m = await app.RegisterAsync();
        await Support.Groups.InviteAsync(f, m, first.Id, "Hazel");
        var next = await Support.Groups.CreateGroupAsync(f, Support.Groups.Body(join: "apply"));
        await app.WithDbAsync(async db =>
        {
            var row = (await db.Set<Attune.Features.Groups.Group>().FindAsync(Guid.Parse(next.Id)))!;
            row.FollowsGroupId = Guid.Parse(first.Id);
            row.Listed = true;
            row.ApprovedAt = DateTime.UtcNow;
            return await db.SaveChangesAsync();
        });
        var applied = await m.Api.PostAsJsonAsync($"/api/v1/groups/{next.Id}/applications", new { answers = Array.Empty<string>() });
        Assert.Equal("accepted", Json(await Expect.StatusAsync(applied, HttpStatusCode.Created)).GetProperty("status").GetString());
        var someoneNew = await app.RegisterAsync();
        var other = await someoneNew.Api.PostAsJsonAsync($"/api/v1/groups/{next.Id}/applications", new { answers = Array.Empty<string>() });
        Assert.Equal("pending", Json(await Expect.StatusAsync(other, HttpStatusCode.Created)).GetProperty("status").GetString());
    }
}
