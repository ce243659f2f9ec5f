using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Groups;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Groups;

/// <summary>
/// Who said they'd come and who came (checked in), the gentle note for a missed meeting that says
/// nothing of the group, the room's words going when the meeting closes, a member's own choices, and
/// the group's planned close.
/// </summary>
public sealed class AttendanceAndEndingTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static string Attendance(Guid groupId, Guid meetingId) => $"/api/v1/groups/{groupId}/meetings/{meetingId}/attendance";

    private static Task<HttpResponseMessage> RsvpAsync(Person who, Guid groupId, Guid meetingId, bool? coming) =>
        who.Api.PutAsJsonAsync(Attendance(groupId, meetingId), new { coming });

    [Fact]
    public async Task SayingYoullCome_IsNotComing_AMissedMeetingGetsANoteWithoutTheGroupsWords_AndTheRoomsWordsGoWithTheMeeting()
    {
        var facilitator = await app.RegisterAsync();
        var robin = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var kit = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        // The first meeting began five minutes ago; the second is next week.
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, title: "Attendance Canary Title", retention: "meeting", meetings: 2, firstStart: app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5));
        var (now, next) = (group.Meetings[0], group.Meetings[1]);
        await Support.Groups.SeedMemberAsync(app, group.Id, robin, "Robin");
        await Support.Groups.SeedMemberAsync(app, group.Id, sam, "Sam");
        await Support.Groups.SeedMemberAsync(app, group.Id, kit, "Kit");

        var said = JsonDocument.Parse(await Expect.StatusAsync(await RsvpAsync(robin, group.Id, now, true), HttpStatusCode.OK)).RootElement;
        Assert.Equal((true, false), (said.GetProperty("coming").GetBoolean(), said.GetProperty("came").GetBoolean()));
        await Expect.StatusAsync(await RsvpAsync(sam, group.Id, now, true), HttpStatusCode.OK);
        await Expect.StatusAsync(await RsvpAsync(kit, group.Id, now, false), HttpStatusCode.OK);
        await Expect.StatusAsync(await RsvpAsync(kit, group.Id, next, true), HttpStatusCode.OK);

        // Bad input names the field; the facilitator's place is always kept; outside the group, 404.
        await Expect.ProblemNamingAsync(await RsvpAsync(robin, group.Id, now, null), "coming");
        await Expect.ProblemNamingAsync(await RsvpAsync(facilitator, group.Id, now, true), "coming");
        await Expect.StatusAsync(await RsvpAsync(stranger, group.Id, now, true), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await RsvpAsync(robin, group.Id, Guid.NewGuid(), true), HttpStatusCode.NotFound);

        // Sam checks in to the room: that, not the answer, is coming.
        var samPost = await Support.Groups.RoomPostAsync(app, group.Id, now, sam, "Room Words Canary Curlew 2290");
        await Support.Groups.CameAsync(app, now, sam);
        var came = JsonDocument.Parse(await Expect.StatusAsync(await RsvpAsync(sam, group.Id, now, true), HttpStatusCode.OK)).RootElement;
        Assert.True(came.GetProperty("came").GetBoolean());

        // The room closes: its words go (this group keeps nothing past the meeting); the numbers stay.
        await Support.Groups.ClosedRoomAsync(app, group.Id, now);
        await app.JobsDoneAsync();
        await app.SettledAsync();
        Assert.False(await app.WithDbAsync(db => db.Set<GroupRoomPost>().AnyAsync(p => p.Id == samPost)));
        var check = await app.WithDbAsync(db => db.Set<GroupRoomCheck>().AsNoTracking().SingleAsync(c => c.MeetingId == now && c.Kind == "in"));
        Assert.Null(check.Word);
        Assert.Equal(4, check.Suds);

        // Robin said they'd come and didn't: one kind note, with no title, no names, no words. Nobody else gets one.
        var notes = Mail.All(app.MailDirectory).Where(m => m.Subject.Contains("missed you", StringComparison.Ordinal)).ToList();
        var note = Assert.Single(notes);
        Assert.Equal(robin.Email, note.To);
        Assert.DoesNotContain("Attendance Canary Title", note.Body + note.Subject);
        Assert.DoesNotContain("Curlew", note.Body);
        Assert.DoesNotContain("Sam", note.Body);
        Assert.NotNull(await app.WithDbAsync(db => db.Set<GroupAttendance>().Where(a => a.MeetingId == now && a.UserId == robin.Id).Select(a => a.MissedNoticeAt).SingleAsync()));

        // Once a meeting has passed, there's nothing to answer.
        app.Clock.Advance(TimeSpan.FromHours(2));
        robin = await app.SignInAsync(robin.Email);
        await Expect.ProblemNamingAsync(await RsvpAsync(robin, group.Id, now, true), "meeting");
    }

    [Fact]
    public async Task AMember_ChangesTheirOwnChoices_AndClosingTheGroupTellsThemWithoutNamingIt()
    {
        var facilitator = await app.RegisterAsync();
        var robin = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, title: "Ending Canary Title");
        await Support.Groups.SeedMemberAsync(app, group.Id, robin, "Robin");
        var membership = $"/api/v1/groups/{group.Id}/membership";

        var choices = JsonDocument.Parse(await Expect.StatusAsync(await robin.Api.PatchAsJsonAsync(membership, new { measuresConsent = true, followUp = true }), HttpStatusCode.OK)).RootElement;
        Assert.Equal((true, false, true), (choices.GetProperty("measuresConsent").GetBoolean(), choices.GetProperty("shareOwnNumbers").GetBoolean(), choices.GetProperty("followUp").GetBoolean()));
        await Expect.ProblemNamingAsync(await robin.Api.PatchAsJsonAsync(membership, new { measuresConsent = false, shareOwnNumbers = true }), "shareOwnNumbers");
        var off = JsonDocument.Parse(await Expect.StatusAsync(await robin.Api.PatchAsJsonAsync(membership, new { measuresConsent = false }), HttpStatusCode.OK)).RootElement;
        Assert.False(off.GetProperty("measuresConsent").GetBoolean());
        await Expect.StatusAsync(await facilitator.Api.PatchAsJsonAsync(membership, new { followUp = true }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PatchAsJsonAsync(membership, new { followUp = true }), HttpStatusCode.NotFound);

        await Expect.StatusAsync(await stranger.Api.PostAsync($"/api/v1/groups/{group.Id}/close", null), HttpStatusCode.NotFound);
        using (var strangerPages = await app.SignInPagesAsync(stranger.Email))
            Assert.Equal(HttpStatusCode.NotFound, (await strangerPages.Http.GetAsync($"/groups/{group.Id}/ending")).StatusCode);
        using var pages = await app.SignInPagesAsync(facilitator.Email);
        Assert.Contains("Close the group", await pages.GetPageAsync($"/groups/{group.Id}/ending"));
        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync($"/groups/{group.Id}/ending", new Dictionary<string, string>())).StatusCode);
        Assert.Contains("This group is closed", await pages.GetPageAsync($"/groups/{group.Id}/ending"));
        // Closing twice is the same close.
        var again = JsonDocument.Parse(await Expect.StatusAsync(await facilitator.Api.PostAsync($"/api/v1/groups/{group.Id}/close", null), HttpStatusCode.OK)).RootElement;
        Assert.NotNull(await app.WithDbAsync(db => db.Set<Group>().Where(g => g.Id == group.Id).Select(g => g.ClosedAt).SingleAsync()));
        Assert.Equal(again.GetProperty("closedAt").GetDateTimeOffset().AddDays(14), again.GetProperty("goneAt").GetDateTimeOffset());

        var told = await app.MailAsync(robin.Email, "come to its close");
        Assert.DoesNotContain("Ending Canary Title", told.Body + told.Subject);
    }

    [Fact]
    public async Task InARealGroup_CheckingInToTheRoomIsComing_ClosingTheRoomEndsTheMeeting_AndAFollowUpCycleHasAPlaceForThoseWhoAsked()
    {
        var facilitator = await app.RegisterAsync();
        var robin = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var created = await Support.Groups.CreateGroupAsync(facilitator, Support.Groups.Body(title: "Real Cycle", meetings: 2, firstLocal: DateTime.UtcNow.Date.AddDays(1).AddHours(19)));
        var (groupId, meetingId) = (created.Id, created.FirstMeeting);
        await Support.Groups.InviteAsync(facilitator, robin, groupId, "Robin");
        await Support.Groups.InviteAsync(facilitator, sam, groupId, "Sam");

        // The board knows the names the members chose when they agreed.
        await Expect.StatusAsync(await sam.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/board", new { text = "Glad to be here" }), HttpStatusCode.Created);
        Assert.Equal("Sam", (await robin.Api.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{groupId}/board")).GetProperty("items")[0].GetProperty("author").GetProperty("name").GetString());

        // Both say they'll come; only Sam checks in to the room, which is what coming is.
        await Expect.StatusAsync(await RsvpAsync(robin, Guid.Parse(groupId), Guid.Parse(meetingId), true), HttpStatusCode.OK);
        await Expect.StatusAsync(await RsvpAsync(sam, Guid.Parse(groupId), Guid.Parse(meetingId), true), HttpStatusCode.OK);
        var version = await Support.Groups.OpenRoomAsync(facilitator, groupId, meetingId);
        version = await Support.Groups.NextVersionAsync(sam, groupId, meetingId, "checkIn", version, new { suds = 3, word = "hopeful" });
        var came = JsonDocument.Parse(await Expect.StatusAsync(await RsvpAsync(sam, Guid.Parse(groupId), Guid.Parse(meetingId), true), HttpStatusCode.OK)).RootElement;
        Assert.True(came.GetProperty("came").GetBoolean());

        // The facilitator closes the room: the meeting's end runs, and Robin (who didn't come) gets the note.
        await Expect.StatusAsync(await Support.Groups.EventAsync(facilitator, groupId, meetingId, "close", version), HttpStatusCode.OK);
        await app.JobsDoneAsync();
        var note = await app.MailAsync(robin.Email, "missed you");
        Assert.DoesNotContain("Real Cycle", note.Body);
        Assert.DoesNotContain(Mail.All(app.MailDirectory), m => m.To == sam.Email && m.Subject.Contains("missed you", StringComparison.Ordinal));
        Assert.Null(await app.WithDbAsync(db => db.Set<GroupRoomCheck>().Where(c => c.MeetingId == Guid.Parse(meetingId) && c.UserId == sam.Id).Select(c => c.Word).SingleAsync()));

        // Robin would like a next cycle; Sam didn't say. The facilitator opens one after closing this one.
        await Expect.StatusAsync(await robin.Api.PatchAsJsonAsync($"/api/v1/groups/{groupId}/membership", new { followUp = true }), HttpStatusCode.OK);
        await Expect.StatusAsync(await facilitator.Api.PostAsync($"/api/v1/groups/{groupId}/close", null), HttpStatusCode.OK);
        var later = DateTime.UtcNow.Date.AddDays(10).AddHours(19);
        await Expect.ProblemNamingAsync(await facilitator.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/follow-up", new { meetings = Array.Empty<object>() }), "meetings");
        await Expect.StatusAsync(await robin.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/follow-up", new { meetings = new[] { new { startsAt = Support.Groups.Local(later), minutes = 90 } } }), HttpStatusCode.Forbidden);
        var next = JsonDocument.Parse(await Expect.StatusAsync(await facilitator.Api.PostAsJsonAsync($"/api/v1/groups/{groupId}/follow-up",
            new { title = "Real Cycle, part two", meetings = new[] { new { startsAt = Support.Groups.Local(later), minutes = 90 } } }), HttpStatusCode.Created)).RootElement;
        var nextId = next.GetProperty("id").GetString()!;
        Assert.Equal(groupId, next.GetProperty("followsGroupId").GetString());
        var told = await app.MailAsync(robin.Email, "new cycle");
        Assert.DoesNotContain("Real Cycle", told.Body);
        await Support.Groups.AgreeAsync(robin, nextId, "Robin");
        await Expect.StatusAsync(await sam.Api.GetAsync($"/api/v1/groups/{nextId}"), HttpStatusCode.NotFound);
    }
}
