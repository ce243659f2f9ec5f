using System.Net;
using Attune.Tests.Support;
using Ical.Net;

namespace Attune.Tests.Groups;

/// <summary>The calendar files parse back, one event per meeting in UTC, the title only when asked, a cancelled meeting marked.</summary>
public sealed class GroupCalendarTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task TheCycleParsesBack_InUtcAroundAClockChange_TitleOnlyWhenAsked()
    {
        var f = await app.RegisterAsync();
        var g = await Support.Groups.CreateGroupAsync(f, Support.Groups.Body(title: "Owl Cycle Title", meetings: 3, firstLocal: new DateTime(2027, 3, 21, 19, 0, 0)));
        var cycle = await f.Api.GetAsync($"/api/v1/groups/{g.Id}/calendar");
        var text = await Expect.StatusAsync(cycle, HttpStatusCode.OK);
        Assert.Equal("text/calendar", cycle.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Owl Cycle Title", text);
        var events = Calendar.Load(text)!.Events.OrderBy(e => e.DtStart!.AsUtc).ToList();
        Assert.Equal(3, events.Count);
        Assert.Contains("DTSTART:20270321T190000Z", text);
        Assert.Contains("DTSTART:20270328T180000Z", text); // Dublin moved to summer time in between
        Assert.All(events, e => Assert.Equal("Attune group meeting", e.Summary));
        Assert.Equal($"{g.MeetingIds[0]}@attune", events[0].Uid);

        var titled = await Expect.StatusAsync(await f.Api.GetAsync($"/api/v1/groups/{g.Id}/calendar?title=true"), HttpStatusCode.OK);
        Assert.Contains("Owl Cycle Title", titled);

        await Expect.StatusAsync(await f.Api.PatchAsync($"/api/v1/groups/{g.Id}", System.Net.Http.Json.JsonContent.Create(new { cancelMeetings = new[] { g.MeetingIds[2] } })), HttpStatusCode.OK);
        var one = Calendar.Load(await Expect.StatusAsync(await f.Api.GetAsync($"/api/v1/groups/{g.Id}/meetings/{g.MeetingIds[2]}/calendar"), HttpStatusCode.OK))!.Events.Single();
        Assert.Equal("CANCELLED", one.Status);
        Assert.Equal(1, one.Sequence);

        var stranger = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.GetAsync($"/api/v1/groups/{g.Id}/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.GetAsync($"/api/v1/groups/{g.Id}/meetings/{g.MeetingIds[0]}/calendar")).StatusCode);
    }
}
