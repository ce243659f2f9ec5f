using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Infrastructure.Jobs;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Circle;

public sealed class ReachTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private Task<string> JoinAsync(Person owner, Person supporter, string name) => Circles.JoinAsync(app, owner, supporter, name);

    private static async Task<JsonElement> ReachAsync(Person owner, object body) =>
        JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", body), HttpStatusCode.Created)).RootElement;

    [Fact]
    public async Task ReachOut_WithNobodyInTheCircleYet_OffersGroundingAndCrisisLines_NotADeadEnd()
    {
        var person = await app.RegisterAsync();
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "CA" }), HttpStatusCode.OK);
        using var pages = await app.SignInPagesAsync(person.Email);
        var page = await pages.GetPageAsync("/reach");
        Assert.Contains("Grounding, right now", page, StringComparison.Ordinal);
        Assert.Contains("9-8-8 Suicide Crisis Helpline", page, StringComparison.Ordinal);
        // How to text a line reads once, whether the service gives a number or the whole instruction.
        Assert.Contains("Text 988", page, StringComparison.Ordinal);
        Assert.Contains("Text CONNECT to 686868", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Text: Text", page, StringComparison.Ordinal);
        Assert.Contains("invite someone you trust", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Was someone there?", page, StringComparison.Ordinal); // no record to show someone who never reached out
    }

    [Fact]
    public async Task AReach_ArrivesLiveForItsPeopleOnly_AndTheAnswersComeBackLive()
    {
        var owner = await app.RegisterAsync("Robin Reaching");
        var live = await app.RegisterAsync("Live Supporter");
        var offline = await app.RegisterAsync("Offline Supporter");
        var stranger = await app.RegisterAsync();
        await JoinAsync(owner, live, "Ash");
        await JoinAsync(owner, offline, "Bo");
        await using var liveStream = await LiveEvents.OpenAsync(app, live);
        await using var strangerStream = await LiveEvents.OpenAsync(app, stranger);
        await using var ownerStream = await LiveEvents.OpenAsync(app, owner);
        var mailsBefore = Mail.All(app.MailDirectory).Count(m => m.To == live.Email);

        var reach = await ReachAsync(owner, new { message = "Reach Canary Plover: rough night", urgency = "now" });
        var id = reach.GetProperty("id").GetString()!;
        Assert.Equal(2, reach.GetProperty("recipients").GetArrayLength());
        Assert.Equal(("reach.received", id), await liveStream.NextAsync("reach.received"));

        // The one without a page open gets an email that says nothing of who or what.
        var mail = await app.MailAsync(offline.Email, "reached out");
        Assert.DoesNotContain("Plover", mail.Body);
        Assert.DoesNotContain("Robin", mail.Body);
        Assert.Contains($"/reaches/{id}", mail.Body);
        await app.SettledAsync();
        Assert.Equal(mailsBefore, Mail.All(app.MailDirectory).Count(m => m.To == live.Email));

        // Opening it marks it seen; answering is heard live.
        var seen = await live.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{id}");
        Assert.Equal("Reach Canary Plover: rough night", seen.GetProperty("message").GetString());
        Assert.Equal("Robin Reaching", seen.GetProperty("from").GetString());
        Assert.Equal(("reach.seen", id), await ownerStream.NextAsync("reach.seen"));
        await Expect.StatusAsync(await live.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "here", message = "I'm with you" }), HttpStatusCode.OK);
        Assert.Equal(("reach.responded", id), await ownerStream.NextAsync("reach.responded"));
        var mine = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{id}");
        var ash = mine.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Ash");
        Assert.Equal(("answered", "here", "I'm with you"), (ash.GetProperty("status").GetString(), ash.GetProperty("response").GetString(), ash.GetProperty("message").GetString()));
        var bo = mine.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Bo");
        Assert.Equal("delivered", bo.GetProperty("status").GetString());

        // Nobody else sees it, and nothing reached the stranger's stream.
        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/reaches/{id}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "here" }), HttpStatusCode.NotFound);
        await Task.Delay(300);
        Assert.False(strangerStream.Events.Reader.TryRead(out _), "A stranger's stream received an event");
        // A supporter sees their own part only.
        Assert.Single(seen.GetProperty("recipients").EnumerateArray());

        // "Was someone there?" — the sender's own record, as a chart with a table, and nobody else's.
        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        var record = await ownerPages.GetPageAsync("/reach");
        Assert.Contains("1 in all, someone was there for 1", record);
        Assert.Contains("<td>1</td><td>1</td>", record);
        using var livePages = await app.SignInPagesAsync(live.Email);
        Assert.DoesNotContain("someone was there for", await livePages.GetPageAsync("/reach"));
    }

    [Fact]
    public async Task NobodyAnswering_MovesTheReachOnInOrder_ThenShowsOtherHelp()
    {
        var owner = await app.RegisterAsync();
        var first = await app.RegisterAsync();
        var second = await app.RegisterAsync();
        var firstMember = await JoinAsync(owner, first, "First");
        await JoinAsync(owner, second, "Second");
        await using var ownerStream = await LiveEvents.OpenAsync(app, owner);
        var reach = await ReachAsync(owner, new { urgency = "today", to = new[] { firstMember }, escalateAfterMinutes = 10 });
        var id = reach.GetProperty("id").GetString()!;
        // The clock only moves forward here: a background job check that read the later time must
        // never see a job created after it as already due, which a clock moved back would allow.
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        await app.JobsDoneAsync();
        Assert.Single((await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{id}")).GetProperty("recipients").EnumerateArray());

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.JobsDoneAsync();
        Assert.Equal(("reach.escalated", id), await ownerStream.NextAsync("reach.escalated"));
        var moved = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{id}");
        Assert.Equal([("First", 1), ("Second", 2)], moved.GetProperty("recipients").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("wave").GetInt32())));
        Assert.Contains($"/reaches/{id}", (await app.MailAsync(second.Email, "reached out")).Body);

        // "I can't right now" is a kind answer, but not someone being there: it still moves on.
        await Expect.StatusAsync(await second.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "cant" }), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await app.JobsDoneAsync();
        Assert.Equal(("reach.exhausted", id), await ownerStream.NextAsync("reach.exhausted"));
        Assert.True((await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{id}")).GetProperty("exhausted").GetBoolean());

        // Someone saying "I'm here" stops the moving on.
        var again = await ReachAsync(owner, new { urgency = "now", to = new[] { firstMember }, escalateAfterMinutes = 5 });
        var againId = again.GetProperty("id").GetString()!;
        await Expect.StatusAsync(await first.Api.PostAsJsonAsync($"/api/v1/reaches/{againId}/responses", new { kind = "soon", minutes = 20 }), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await app.JobsDoneAsync();
        var stayed = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{againId}");
        Assert.Single(stayed.GetProperty("recipients").EnumerateArray());
        Assert.False(stayed.GetProperty("exhausted").GetBoolean());
    }

    [Fact]
    public async Task WhenEveryoneAskedCantCome_ItMovesOnAtOnce_AndWithNobodyLeftSaysSoAtOnce()
    {
        var owner = await app.RegisterAsync("Robin Alone");
        var first = await app.RegisterAsync("First Friend");
        var second = await app.RegisterAsync("Second Friend");
        var firstMember = await JoinAsync(owner, first, "Ash");
        await JoinAsync(owner, second, "Bo");
        await using var ownerStream = await LiveEvents.OpenAsync(app, owner);
        var id = (await ReachAsync(owner, new { urgency = "now", to = new[] { firstMember } })).GetProperty("id").GetString()!;

        // Ash can't: Bo is asked now, not after ten minutes, and gets the whole wait from now.
        await Expect.StatusAsync(await first.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "cant" }), HttpStatusCode.OK);
        Assert.Equal(("reach.escalated", id), await ownerStream.NextAsync("reach.escalated"));
        var moved = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{id}");
        Assert.Equal(["Ash", "Bo"], moved.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var due = await app.WithDbAsync(db => db.Set<Job>().FirstAsync(j => j.Subject == Guid.Parse(id) && j.DoneAt == null));
        Assert.InRange(due.DueAt - app.Clock.GetUtcNow().UtcDateTime, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.5));
        using (var pages = await app.SignInPagesAsync(owner.Email))
        {
            var waiting = await pages.GetPageAsync($"/reaches/{id}");
            Assert.Contains("see it here straight away", waiting, StringComparison.Ordinal);
            Assert.DoesNotContain("within 10 minutes", waiting, StringComparison.Ordinal);

            // Bo can't either, and there is nobody left: the person is told at once, kindly, with other help.
            await Expect.StatusAsync(await second.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "cant" }), HttpStatusCode.OK);
            Assert.Equal(("reach.exhausted", id), await ownerStream.NextAsync("reach.exhausted"));
            var told = await pages.GetPageAsync($"/reaches/{id}");
            Assert.Contains("Nobody could come just now", told, StringComparison.Ordinal);
            Assert.Contains("Ash and Bo can", told, StringComparison.Ordinal);
            Assert.Contains("href=\"/grounding\"", told, StringComparison.Ordinal);
            Assert.Contains("Find A Helpline", told, StringComparison.Ordinal);
            Assert.DoesNotContain("goes to the next person", told, StringComparison.Ordinal);
        }
        // Nothing is left for the timer to do.
        Assert.NotNull((await app.WithDbAsync(db => db.Set<Job>().FirstAsync(j => j.Subject == Guid.Parse(id)))).DoneAt);
    }

    [Fact]
    public async Task ImHere_WithAFewWords_StartsTheConversationWithThem_AndEachViewSpeaksToItsReader()
    {
        var owner = await app.RegisterAsync("Robin Heard");
        var supporter = await app.RegisterAsync("Sam Present");
        await JoinAsync(owner, supporter, "Sam");
        var id = (await ReachAsync(owner, new { urgency = "now" })).GetProperty("id").GetString()!;
        using var supporterPages = await app.SignInPagesAsync(supporter.Email);
        var answer = await supporterPages.PostFormAsync($"/reaches/{id}", new() { ["kind"] = "here", ["message"] = "I'm here. Tea and a chat?" });
        var answered = await answer.Content.ReadAsStringAsync();
        Assert.Contains("You said you're here", answered, StringComparison.Ordinal);
        Assert.DoesNotContain("I can talk soon", answered, StringComparison.Ordinal);

        var reach = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{id}");
        var thread = reach.GetProperty("recipients")[0].GetProperty("threadId").GetString()!;
        var messages = (await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/threads/{thread}")).GetProperty("messages");
        Assert.Equal("I'm here. Tea and a chat?", Assert.Single(messages.EnumerateArray()).GetProperty("text").GetString());

        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        var view = await ownerPages.GetPageAsync($"/reaches/{id}");
        Assert.Contains("Sam is here", view, StringComparison.Ordinal);
        Assert.DoesNotContain("within 10 minutes", view, StringComparison.Ordinal);
        Assert.DoesNotContain("You could start", await ownerPages.GetPageAsync($"/threads/{thread}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuietHours_AreRespected_ExceptTalkNowWhereTheSupporterAllowedIt()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        var memberId = await JoinAsync(owner, supporter, "Quiet");
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var from = now.AddHours(2).ToString("HH:00", System.Globalization.CultureInfo.InvariantCulture);
        var to = now.AddHours(3).ToString("HH:00", System.Globalization.CultureInfo.InvariantCulture);
        await Expect.StatusAsync(await supporter.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { availableFrom = from, availableTo = to, talkNowAnytime = false }), HttpStatusCode.OK);

        // The form says so beside their name before anyone chooses, with when they can be reached, in my time.
        var always = await app.RegisterAsync();
        var alwaysId = await JoinAsync(owner, always, "Always");
        using var pages = await app.SignInPagesAsync(owner.Email);
        var form = await pages.GetPageAsync("/reach");
        Assert.Matches($"(?s)aria-describedby=\"hours-{memberId}\" />.*?<p class=\"hint choice-hint\" id=\"hours-{memberId}\" data-hours>Outside the hours they set: they can be reached (tomorrow )?from {from} your time\\. Tick them to reach them anyway\\.", form);
        Assert.DoesNotContain($"hours-{alwaysId}", form, StringComparison.Ordinal); // no hours set: nothing to say
        Assert.Contains("leave all unticked for everyone", form, StringComparison.Ordinal);
        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/circle/{alwaysId}"), HttpStatusCode.NoContent);
        // With everyone outside their hours, leaving all unticked would reach nobody: the form says to choose.
        var onlyQuiet = await pages.GetPageAsync("/reach");
        Assert.Contains("everyone is outside the hours they set just now: tick who you", onlyQuiet, StringComparison.Ordinal);
        Assert.DoesNotContain("leave all unticked for everyone", onlyQuiet, StringComparison.Ordinal);

        var today = await ReachAsync(owner, new { urgency = "today" });
        Assert.Empty(today.GetProperty("recipients").EnumerateArray());
        Assert.True(today.GetProperty("exhausted").GetBoolean());
        var now1 = await ReachAsync(owner, new { urgency = "now" });
        Assert.Empty(now1.GetProperty("recipients").EnumerateArray());
        // Chosen by name, it goes to them anyway, and the page after sending doesn't promise they'll see it soon.
        var chosen = await ReachAsync(owner, new { urgency = "today", to = new[] { memberId } });
        Assert.Single(chosen.GetProperty("recipients").EnumerateArray());
        var sent = await pages.GetPageAsync($"/reaches/{chosen.GetProperty("id").GetString()}");
        Assert.Matches($"Quiet</strong>: sent, though it(&#x27;|')s outside the hours they set; they may not see it until (tomorrow )?from {from} your time", sent);
        Assert.DoesNotContain("see it soon", sent, StringComparison.Ordinal);

        await Expect.StatusAsync(await supporter.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { talkNowAnytime = true }), HttpStatusCode.OK);
        Assert.Contains("leave all unticked for everyone", await pages.GetPageAsync("/reach"), StringComparison.Ordinal); // "talk now" still reaches them
        Assert.Matches($"id=\"hours-{memberId}\" data-hours>Outside the hours they set, but they(&#x27;|')re glad to get an (&quot;|\")I(&#x27;|')d like to talk now(&quot;|\") reach at any hour\\. Otherwise they can be reached (tomorrow )?from {from} your time", await pages.GetPageAsync("/reach"));
        var now2 = await ReachAsync(owner, new { urgency = "now" });
        Assert.Single(now2.GetProperty("recipients").EnumerateArray());
        var today2 = await ReachAsync(owner, new { urgency = "today" });
        Assert.Empty(today2.GetProperty("recipients").EnumerateArray());
    }

    [Fact]
    public async Task BadInput_Answers400NamingTheField_AndEndingTheRelationshipEndsAccess()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        var memberId = await JoinAsync(owner, supporter, "Sup");
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "asap" }), "urgency");
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { to = new[] { Guid.NewGuid() } }), "to[0]");
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { message = new string('x', 1001) }), "message");
        var id = (await ReachAsync(owner, new { urgency = "now" })).GetProperty("id").GetString();
        await Expect.ProblemNamingAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "maybe" }), "kind");
        await Expect.ProblemNamingAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "soon" }), "minutes");

        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/circle/{memberId}"), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/reaches/{id}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "here" }), HttpStatusCode.NotFound);
        var record = await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/reaches");
        Assert.Single(record.GetProperty("items").EnumerateArray());
    }
}
