using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Assessments;
using Attune.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Groups;

/// <summary>
/// PHQ-9 and GAD-7 through a group's cycle: only with consent, due on joining and after every 3
/// meetings actually attended, the group's change shown only from 3 contributors, and one member's
/// own numbers only when they chose so, each read in their access log.
/// </summary>
public sealed class MeasuresTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static string Measures(Guid groupId) => $"/api/v1/groups/{groupId}/measures";

    private static async Task<string> ResultAsync(Person who, string code, int each)
    {
        var answers = Enumerable.Repeat(each, code == "phq9" ? 9 : 7).ToArray();
        if (code == "phq9") answers[8] = 0; // no item-9 answer: that path is the safety page's, tested there
        return JsonDocument.Parse(await Expect.StatusAsync(await who.Api.PostAsJsonAsync($"/api/v1/assessments/{code}/responses", new { answers }), HttpStatusCode.Created))
            .RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> GetAsync(Person who, Guid groupId) =>
        JsonDocument.Parse(await Expect.StatusAsync(await who.Api.GetAsync(Measures(groupId)), HttpStatusCode.OK)).RootElement;

    private static Task<HttpResponseMessage> LinkAsync(Person who, Guid groupId, string checkInId) =>
        who.Api.PostAsJsonAsync(Measures(groupId), new { checkInId });

    [Fact]
    public async Task CheckIns_AreDueOnJoiningAndAfterEveryThreeMeetingsAttended_OnlyWithConsent()
    {
        var facilitator = await app.RegisterAsync();
        var robin = await app.RegisterAsync();
        var ash = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, meetings: 4);
        await Support.Groups.SeedMemberAsync(app, group.Id, robin, "Robin", measuresConsent: true);
        await Support.Groups.SeedMemberAsync(app, group.Id, ash, "Ash");

        var mine = await GetAsync(robin, group.Id);
        Assert.Equal((0, "phq9 gad7"), (mine.GetProperty("due").GetProperty("point").GetInt32(), string.Join(' ', mine.GetProperty("due").GetProperty("instruments").EnumerateArray().Select(i => i.GetString()))));
        var phq = await ResultAsync(robin, "phq9", 2);
        var linked = JsonDocument.Parse(await Expect.StatusAsync(await LinkAsync(robin, group.Id, phq), HttpStatusCode.Created)).RootElement;
        Assert.Equal(("phq9", 0, 16), (linked.GetProperty("instrument").GetString(), linked.GetProperty("point").GetInt32(), linked.GetProperty("total").GetInt32()));
        await Expect.ProblemNamingAsync(await LinkAsync(robin, group.Id, phq), "checkInId"); // already there for this point
        await Expect.ProblemNamingAsync(await LinkAsync(robin, group.Id, await ResultAsync(ash, "gad7", 1)), "checkInId"); // not Robin's
        await Expect.StatusAsync(await LinkAsync(robin, group.Id, await ResultAsync(robin, "gad7", 1)), HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, (await GetAsync(robin, group.Id)).GetProperty("due").ValueKind);

        // Without consent nothing is asked or taken; the facilitator has no points of their own; outside, 404.
        Assert.Equal(JsonValueKind.Null, (await GetAsync(ash, group.Id)).GetProperty("due").ValueKind);
        await Expect.ProblemNamingAsync(await LinkAsync(ash, group.Id, await ResultAsync(ash, "phq9", 1)), "checkInId");
        await Expect.ProblemNamingAsync(await LinkAsync(facilitator, group.Id, await ResultAsync(facilitator, "phq9", 1)), "checkInId");
        await Expect.StatusAsync(await stranger.Api.GetAsync(Measures(group.Id)), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await LinkAsync(stranger, group.Id, await ResultAsync(stranger, "phq9", 1)), HttpStatusCode.NotFound);

        // Saying "I'll come" counts for nothing; two meetings attended, still nothing due; the third makes point 1 due.
        await Expect.StatusAsync(await robin.Api.PutAsJsonAsync($"/api/v1/groups/{group.Id}/meetings/{group.Meetings[3]}/attendance", new { coming = true }), HttpStatusCode.OK);
        await Support.Groups.CameAsync(app, group.Meetings[0], robin);
        await Support.Groups.CameAsync(app, group.Meetings[1], robin);
        Assert.Equal(JsonValueKind.Null, (await GetAsync(robin, group.Id)).GetProperty("due").ValueKind);
        var tooEarly = await ResultAsync(robin, "phq9", 1);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Support.Groups.CameAsync(app, group.Meetings[2], robin);
        var due = (await GetAsync(robin, group.Id)).GetProperty("due");
        Assert.Equal(1, due.GetProperty("point").GetInt32());
        Assert.Equal(3, (await GetAsync(robin, group.Id)).GetProperty("attended").GetInt32());
        await Expect.ProblemNamingAsync(await LinkAsync(robin, group.Id, tooEarly), "checkInId");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ResultAsync(robin, "phq9", 1);
        using var pages = await app.SignInPagesAsync(robin.Email);
        Assert.Contains("Check-ins after 3 meetings", await pages.GetPageAsync($"/groups/{group.Id}/measures"));
        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync($"/groups/{group.Id}/measures?handler=AddLatest", new Dictionary<string, string>(), $"/groups/{group.Id}/measures")).StatusCode);
        var points = (await GetAsync(robin, group.Id)).GetProperty("mine").EnumerateArray().Select(p => (p.GetProperty("instrument").GetString(), p.GetProperty("point").GetInt32(), p.GetProperty("total").GetInt32())).ToList();
        Assert.Contains(("phq9", 1, 8), points);
        Assert.DoesNotContain(points, p => p.Item1 == "gad7" && p.Item2 == 1);
    }

    [Fact]
    public async Task TheFacilitatorSeesTheGroupsChangeOnlyFromThree_AndOnesOwnNumbersOnlyWhenShared_EachReadLogged()
    {
        var facilitator = await app.RegisterAsync();
        var people = new List<Person>();
        for (var i = 0; i < 3; i++) people.Add(await app.RegisterAsync());
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, facilitatorName: "Noor", meetings: 3);
        string[] names = ["Robin", "Sam", "Kit"];
        for (var i = 0; i < 3; i++) await Support.Groups.SeedMemberAsync(app, group.Id, people[i], names[i], measuresConsent: true, shareOwnNumbers: i == 0);

        async Task JoinedAndThreeMeetingsAsync(Person p, int before, int after)
        {
            await Expect.StatusAsync(await LinkAsync(p, group.Id, await ResultAsync(p, "phq9", before)), HttpStatusCode.Created);
            foreach (var meeting in group.Meetings) await Support.Groups.CameAsync(app, meeting, p);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Expect.StatusAsync(await LinkAsync(p, group.Id, await ResultAsync(p, "phq9", after)), HttpStatusCode.Created);
        }

        await JoinedAndThreeMeetingsAsync(people[0], 2, 1);
        await JoinedAndThreeMeetingsAsync(people[1], 2, 2);
        var two = await GetAsync(facilitator, group.Id);
        var phq = two.GetProperty("aggregate").EnumerateArray().Single(a => a.GetProperty("instrument").GetString() == "phq9");
        Assert.Equal((2, JsonValueKind.Null), (phq.GetProperty("contributors").GetInt32(), phq.GetProperty("meanChange").ValueKind));
        Assert.Contains("without singling anyone out", phq.GetProperty("note").GetString());

        await JoinedAndThreeMeetingsAsync(people[2], 3, 1);
        var three = await GetAsync(facilitator, group.Id);
        phq = three.GetProperty("aggregate").EnumerateArray().Single(a => a.GetProperty("instrument").GetString() == "phq9");
        // Changes: -8 (16→8), 0 (16→16), -16 (24→8): the mean is -8.
        Assert.Equal((3, -8.0), (phq.GetProperty("contributors").GetInt32(), phq.GetProperty("meanChange").GetDouble()));

        // Only Robin chose to share their own numbers; the read is in Robin's access log, not the others'.
        var shared = Assert.Single(three.GetProperty("shared").EnumerateArray());
        Assert.Equal("Robin", shared.GetProperty("name").GetString());
        Assert.DoesNotContain("Sam", three.ToString());
        var log = (await people[0].Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log")).GetProperty("items").EnumerateArray();
        Assert.Contains(log, e => e.GetProperty("actorId").GetString() == facilitator.Id && e.GetProperty("itemType").GetString() == "checkin");
        Assert.DoesNotContain((await people[1].Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log")).GetProperty("items").EnumerateArray(),
            e => e.GetProperty("actorId").GetString() == facilitator.Id);

        // A member sees only their own; the safety page names who sees their numbers.
        var robinsView = await GetAsync(people[0], group.Id);
        Assert.Equal(JsonValueKind.Null, robinsView.GetProperty("aggregate").ValueKind);
        Assert.Equal(2, robinsView.GetProperty("mine").GetArrayLength());
        using var scope = app.Services.CreateScope();
        var viewers = scope.ServiceProvider.GetServices<ICheckInViewers>().ToList();
        var robinViewers = new List<string>();
        var samViewers = new List<string>();
        foreach (var v in viewers)
        {
            robinViewers.AddRange(await v.NamesAsync(people[0].Id));
            samViewers.AddRange(await v.NamesAsync(people[1].Id));
        }
        Assert.Contains("Noor (your group's facilitator)", robinViewers);
        Assert.Empty(samViewers);
    }
}
