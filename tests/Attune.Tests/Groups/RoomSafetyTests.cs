using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Groups;

/// <summary>
/// Safety in the live room, through the API and the page: crisis words answer the writer alone with
/// their lines, plan and reach, and tell the facilitator only that they may need a private word;
/// advice in a reflection gets the gentle question first; a moment and the distress numbers reach the
/// facilitator only; stepping out shows to all; my own share goes to my journal; and the private word
/// between the facilitator and one member is theirs alone.
/// </summary>
public sealed class RoomSafetyTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Crisis = "Some nights I want to die, and I don't tell anyone.";

    private sealed record Room(Person F, Person A, Person B, Person C, string GroupId, string MeetingId, string AId, string BId, string CId)
    {
        public Task<HttpResponseMessage> EventAsync(Person who, string type, long version, object? extra = null) =>
            Support.Groups.EventAsync(who, GroupId, MeetingId, type, version, extra);

        public async Task<JsonElement> GetAsync(Person who) =>
            JsonDocument.Parse(await Expect.StatusAsync(await who.Api.GetAsync($"/api/v1/groups/{GroupId}/meetings/{MeetingId}/room"), HttpStatusCode.OK)).RootElement;

        public async Task<long> VersionAsync() => (await GetAsync(F)).GetProperty("version").GetInt64();

        /// <summary>Sends an event that must be accepted; returns the sender's view after it.</summary>
        public async Task<JsonElement> OkAsync(Person who, string type, object? extra = null) =>
            JsonDocument.Parse(await Expect.StatusAsync(await EventAsync(who, type, await VersionAsync(), extra), HttpStatusCode.OK)).RootElement;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        JsonDocument.Parse(await Expect.StatusAsync(response, expected)).RootElement;

    /// <summary>A facilitator and three members in an open room, everyone checked in (A with a hard number).</summary>
    private async Task<Room> RoomAsync(bool checkIn = true)
    {
        var f = await app.RegisterAsync("Dr Lee");
        var a = await app.RegisterAsync("Ash Account");
        var b = await app.RegisterAsync("Bea Account");
        var c = await app.RegisterAsync("Cal Account");
        var group = await Support.Groups.CreateGroupAsync(f);
        var token = await Support.Groups.InvitationTokenAsync(f, group.Id);
        var room = new Room(f, a, b, c, group.Id, group.FirstMeeting,
            await Support.Groups.JoinByLinkAsync(a, group.Id, token, "Ash"), await Support.Groups.JoinByLinkAsync(b, group.Id, token, "Bea"), await Support.Groups.JoinByLinkAsync(c, group.Id, token, "Cal"));
        await Support.Groups.OpenRoomAsync(f, group.Id, group.FirstMeeting);
        if (!checkIn) return room;
        await room.OkAsync(a, "checkIn", new { suds = 8, word = "heavy" });
        await room.OkAsync(b, "checkIn", new { suds = 3, word = "curious" });
        await room.OkAsync(c, "checkIn", new { pass = true });
        return room;
    }

    /// <summary>Starts a round in the order A, B, C and lets A share <paramref name="text"/>, then hand the piece on.</summary>
    private static async Task<string> AShareAsync(Room r, string text)
    {
        await r.OkAsync(r.F, "startRound", new { order = new[] { r.AId, r.BId, r.CId } });
        var shared = await r.OkAsync(r.A, "post", new { text });
        await r.OkAsync(r.A, "done");
        return shared.GetProperty("posts").EnumerateArray().Last(p => p.GetProperty("mine").GetBoolean()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task CrisisWordsInAShare_AnswerTheWriterWithTheirOwnSafety_AndTellTheFacilitatorOnlyThatTheyMayNeedAWord()
    {
        var r = await RoomAsync();
        await Expect.StatusAsync(await r.A.Api.PutAsJsonAsync("/api/v1/safety-plan", new
        {
            warningSigns = new[] { "Not sleeping" },
            copingStrategies = new[] { "Cold water on my face" },
            distractions = Array.Empty<string>(),
            helpers = new[] { "My sister" },
            professionals = Array.Empty<string>(),
            safeEnvironment = Array.Empty<string>(),
            reasonsToLive = Array.Empty<string>(),
        }), HttpStatusCode.OK);
        await r.OkAsync(r.F, "startRound", new { order = new[] { r.AId, r.BId, r.CId } });

        var answer = await r.OkAsync(r.A, "post", new { text = Crisis });
        var safety = answer.GetProperty("safety");
        Assert.True(safety.GetProperty("crisis").GetBoolean(), answer.ToString());
        Assert.Equal(["Cold water on my face", "My sister"], safety.GetProperty("safetyPlan").EnumerateArray().Select(i => i.GetString()!).ToArray());
        Assert.True(safety.GetProperty("lines").GetProperty("international").GetProperty("services").GetArrayLength() > 0, answer.ToString());
        Assert.True(safety.TryGetProperty("reach", out _), answer.ToString());

        // The facilitator sees who may need a private word, and nothing more than the room holds.
        var f = await r.GetAsync(r.F);
        Assert.Equal([r.AId], f.GetProperty("facilitator").GetProperty("attention").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.False(f.TryGetProperty("safety", out var fs) && fs.ValueKind != JsonValueKind.Null, f.ToString());

        // Nobody's GET carries the safety answer, not even the writer's; the other members see no attention at all.
        foreach (var who in new[] { r.A, r.B, r.C })
        {
            var view = await r.GetAsync(who);
            Assert.True(!view.TryGetProperty("safety", out var s) || s.ValueKind == JsonValueKind.Null, view.ToString());
            Assert.True(!view.TryGetProperty("facilitator", out var fv) || fv.ValueKind == JsonValueKind.Null, view.ToString());
        }

        // On the page, without a script: the form posts, and the writer alone is told, in words, who was let know.
        var pages = await app.SignInPagesAsync(r.A.Email);
        var url = $"/groups/{r.GroupId}/meetings/{r.MeetingId}";
        var posted = await pages.PostFormAsync(url + "?handler=Event", new() { ["type"] = "post", ["text"] = Crisis, ["expectedVersion"] = (await r.VersionAsync()).ToString(CultureInfo.InvariantCulture) }, url);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var page = await pages.GetPageAsync(posted.Headers.Location!.OriginalString);
        Assert.Contains("We've let Noor know you may want a private word", page, StringComparison.Ordinal);
        Assert.Contains("Cold water on my face", page, StringComparison.Ordinal);
        Assert.DoesNotContain("may want a private word", await pages.GetPageAsync(url), StringComparison.Ordinal); // once, not on every visit
        var others = await app.SignInPagesAsync(r.B.Email);
        Assert.DoesNotContain("may need a private word", await others.GetPageAsync(url), StringComparison.Ordinal);
        var facilitatorPages = await app.SignInPagesAsync(r.F.Email);
        Assert.Contains("may need a private word", await facilitatorPages.GetPageAsync(url), StringComparison.Ordinal);

        await r.OkAsync(r.F, "seen", new { memberId = r.AId });
        Assert.Empty((await r.GetAsync(r.F)).GetProperty("facilitator").GetProperty("attention").EnumerateArray());
    }

    [Fact]
    public async Task TheShortAnswer_ToCrisisWords_CarriesTheWritersSafetyToo()
    {
        var r = await RoomAsync();
        await r.OkAsync(r.F, "startRound", new { order = new[] { r.AId, r.BId, r.CId } });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/groups/{r.GroupId}/meetings/{r.MeetingId}/room/events")
        {
            Content = JsonContent.Create(new { type = "post", expectedVersion = await r.VersionAsync(), text = Crisis }),
        };
        request.Headers.Add("Prefer", "return=minimal");
        var answer = await JsonAsync(await r.A.Api.SendAsync(request), HttpStatusCode.OK);
        Assert.False(answer.TryGetProperty("posts", out _), answer.ToString());
        Assert.True(answer.GetProperty("safety").GetProperty("crisis").GetBoolean(), answer.ToString());
        Assert.True(answer.GetProperty("safety").GetProperty("lines").GetProperty("international").GetProperty("services").GetArrayLength() > 0, answer.ToString());
        Assert.Equal([r.AId], (await r.GetAsync(r.F)).GetProperty("facilitator").GetProperty("attention").EnumerateArray().Select(x => x.GetString()!).ToArray());
    }

    [Fact]
    public async Task CrisisWordsInACheckWordOrAReflection_AskForTheFacilitatorsAttention_AsAPostDoes_AndTheWriterIsTold()
    {
        var r = await RoomAsync(checkIn: false);
        IEnumerable<string> Attention(JsonElement f) => f.GetProperty("facilitator").GetProperty("attention").EnumerateArray().Select(x => x.GetString()!);

        // A check-in word.
        var checkedIn = await r.OkAsync(r.A, "checkIn", new { suds = 7, word = "want to die" });
        Assert.True(checkedIn.GetProperty("safety").GetProperty("crisis").GetBoolean(), checkedIn.ToString());
        Assert.Equal([r.AId], Attention(await r.GetAsync(r.F)));
        var calm = await r.OkAsync(r.B, "checkIn", new { suds = 3, word = "curious" });
        Assert.True(!calm.TryGetProperty("safety", out var none) || none.ValueKind == JsonValueKind.Null, calm.ToString());
        await r.OkAsync(r.C, "checkIn", new { pass = true });

        // A reflection on someone else's share.
        await r.OkAsync(r.F, "startRound", new { order = new[] { r.AId, r.BId, r.CId } });
        var shared = await r.OkAsync(r.A, "post", new { text = "I was seven and nobody came." });
        await r.OkAsync(r.A, "done");
        var post = shared.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("mine").GetBoolean()).GetProperty("id").GetString();
        var reflected = await r.OkAsync(r.B, "witness", new { postId = post, text = "Me too. Some nights I want to die." });
        Assert.True(reflected.GetProperty("safety").GetProperty("crisis").GetBoolean(), reflected.ToString());
        Assert.Equal(new[] { r.AId, r.BId }.Order(StringComparer.Ordinal), Attention(await r.GetAsync(r.F)).Order(StringComparer.Ordinal));

        // A check-out word.
        await r.OkAsync(r.F, "startCheckOut");
        var checkedOut = await r.OkAsync(r.C, "checkOut", new { suds = 6, word = "want to die" });
        Assert.True(checkedOut.GetProperty("safety").GetProperty("crisis").GetBoolean(), checkedOut.ToString());
        Assert.Equal(new[] { r.AId, r.BId, r.CId }.Order(StringComparer.Ordinal), Attention(await r.GetAsync(r.F)).Order(StringComparer.Ordinal));

        // The others see no attention and no one's safety answer.
        foreach (var who in new[] { r.A, r.B, r.C })
        {
            var view = await r.GetAsync(who);
            Assert.True(!view.TryGetProperty("facilitator", out var fv) || fv.ValueKind == JsonValueKind.Null, view.ToString());
            Assert.True(!view.TryGetProperty("safety", out var sv) || sv.ValueKind == JsonValueKind.Null, view.ToString());
        }
    }

    [Fact]
    public async Task AReflectionThatReadsAsAdvice_IsAskedAbout_AndGoesOnlyWhenTheWriterSaysSendAnyway()
    {
        var r = await RoomAsync();
        var post = await AShareAsync(r, "I was seven and nobody came.");
        var version = await r.VersionAsync();

        var asked = await r.EventAsync(r.B, "witness", version, new { postId = post, text = "You should try journaling about it." });
        var problem = await Expect.ProblemNamingAsync(asked, "text");
        Assert.True(problem.GetProperty("adviceLike").GetBoolean(), problem.ToString());
        Assert.Equal(version, await r.VersionAsync()); // nothing saved, the room did not move

        var sent = await JsonAsync(await r.EventAsync(r.B, "witness", version, new { postId = post, text = "You should try journaling about it.", sendAnyway = true }), HttpStatusCode.OK);
        Assert.Equal(version + 1, sent.GetProperty("version").GetInt64());
        var reflection = (await r.GetAsync(r.A)).GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("id").GetString() == post)
            .GetProperty("reflections").EnumerateArray().Single();
        Assert.Equal("Bea", reflection.GetProperty("author").GetProperty("name").GetString());

        // A reflection in the witness's own words goes at once.
        await r.OkAsync(r.C, "witness", new { postId = post, text = "I felt that in my chest. Thank you." });
    }

    [Fact]
    public async Task AMomentAndTheDistressNumbers_ReachOnlyTheFacilitator_WhileSteppingOutShowsToAll()
    {
        var r = await RoomAsync();
        await r.OkAsync(r.C, "moment");
        await r.OkAsync(r.B, "stepOut");

        var f = await r.GetAsync(r.F);
        Assert.Equal([r.CId], f.GetProperty("facilitator").GetProperty("moments").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.Equal(8, f.GetProperty("checkIns").EnumerateArray().Single(c => c.GetProperty("memberId").GetString() == r.AId).GetProperty("suds").GetInt32());
        foreach (var who in new[] { r.A, r.B, r.C })
        {
            var view = await r.GetAsync(who);
            Assert.True(!view.TryGetProperty("facilitator", out var fv) || fv.ValueKind == JsonValueKind.Null, view.ToString());
            var me = view.GetProperty("me").GetProperty("memberId").GetString();
            foreach (var check in view.GetProperty("checkIns").EnumerateArray().Where(c => c.GetProperty("memberId").GetString() != me))
                Assert.True(!check.TryGetProperty("suds", out var s) || s.ValueKind == JsonValueKind.Null, view.ToString()); // their own number, never anyone else's
            Assert.Equal([r.BId], view.GetProperty("steppedOut").EnumerateArray().Select(x => x.GetString()!).ToArray());
            Assert.Contains(view.GetProperty("checkIns").EnumerateArray(), c => c.GetProperty("word").ValueKind == JsonValueKind.String && c.GetProperty("word").GetString() == "curious");
        }
        Assert.True((await r.GetAsync(r.C)).GetProperty("me").GetProperty("moment").GetBoolean());
        Assert.False((await r.GetAsync(r.A)).GetProperty("me").GetProperty("moment").GetBoolean());

        // Paused, the safety actions still work; back again, the stepped-out state is gone for everyone.
        await r.OkAsync(r.F, "pause");
        await r.OkAsync(r.B, "return");
        await r.OkAsync(r.C, "moment");
        Assert.Empty((await r.GetAsync(r.A)).GetProperty("steppedOut").EnumerateArray());
        Assert.Empty((await r.GetAsync(r.F)).GetProperty("facilitator").GetProperty("moments").EnumerateArray());
    }

    [Fact]
    public async Task MyOwnShare_GoesIntoMyJournal_AndNobodyElsesCan()
    {
        var r = await RoomAsync();
        await r.OkAsync(r.F, "startRound", new { promptId = "p2-what-i-take", order = new[] { r.AId, r.BId, r.CId } });
        var text = "I take the warmth of being listened to. " + Guid.NewGuid().ToString("N")[..8];
        var shared = await r.OkAsync(r.A, "post", new { text });
        var post = shared.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("mine").GetBoolean()).GetProperty("id").GetString();
        var url = $"/api/v1/groups/{r.GroupId}/meetings/{r.MeetingId}/room/posts/{post}/journal";

        Assert.Equal(HttpStatusCode.NotFound, (await r.B.Api.PostAsync(url, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await r.F.Api.PostAsync(url, null)).StatusCode);
        var stranger = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.PostAsync(url, null)).StatusCode);

        var entry = await JsonAsync(await r.A.Api.PostAsync(url, null), HttpStatusCode.Created);
        Assert.Equal(text, entry.GetProperty("text").GetString());
        Assert.Equal("free", entry.GetProperty("kind").GetString());
        Assert.Contains("group", entry.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("What I take with me", entry.GetProperty("title").GetString(), StringComparison.Ordinal);
        var mine = await JsonAsync(await r.A.Api.GetAsync($"/api/v1/journal/{entry.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        Assert.Equal(text, mine.GetProperty("text").GetString());
    }

    [Fact]
    public async Task APrivateWord_IsBetweenTheFacilitatorAndThatMemberAlone()
    {
        var r = await RoomAsync(checkIn: false);
        var url = $"/api/v1/groups/{r.GroupId}/members/{r.AId}/messages";
        var word = "Would you like to talk after? " + Guid.NewGuid().ToString("N")[..8];
        await using (var events = await LiveEvents.OpenAsync(app, r.A))
        {
            var sent = await JsonAsync(await r.F.Api.PostAsJsonAsync(url, new { text = word }), HttpStatusCode.Created);
            Assert.True(sent.GetProperty("mine").GetBoolean());
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var e = await events.Events.Reader.ReadAsync(wait.Token);
            Assert.Equal(("groupword.message", r.AId), e); // the member row's id, never the words
        }
        var read = await JsonAsync(await r.A.Api.GetAsync(url), HttpStatusCode.OK);
        Assert.Equal(word, read.GetProperty("messages")[0].GetProperty("text").GetString());
        Assert.Equal("Noor", read.GetProperty("with").GetString()); // the facilitator's name in the group, never their account's
        Assert.Equal("Ash", (await JsonAsync(await r.F.Api.GetAsync(url), HttpStatusCode.OK)).GetProperty("with").GetString());
        await JsonAsync(await r.A.Api.PostAsJsonAsync(url, new { text = "Yes please." }), HttpStatusCode.Created);
        Assert.Equal(2, (await JsonAsync(await r.F.Api.GetAsync(url), HttpStatusCode.OK)).GetProperty("messages").GetArrayLength());

        // Another member, a stranger and anyone signed out: nothing there.
        var stranger = await app.RegisterAsync();
        foreach (var other in new[] { r.B, stranger })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.Api.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.Api.PostAsJsonAsync(url, new { text = "hello" })).StatusCode);
        }
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
        await Expect.ProblemNamingAsync(await r.F.Api.PostAsJsonAsync(url, new { text = "" }), "text");
    }
}
