using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Circle;
using Attune.Features.Sharing;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Circle;

/// <summary>"I'm here" conversations and shared items with witness reflections: between two people only, sealed under their pair key, gone when either ends it.</summary>
public sealed class ShareTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    private static async Task<(string ReachId, string ThreadId)> HereAsync(Person owner, Person supporter)
    {
        var reach = await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "now" });
        var reachId = JsonDocument.Parse(await Expect.StatusAsync(reach, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{reachId}/responses", new { kind = "here" }), HttpStatusCode.OK);
        var seen = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/reaches/{reachId}");
        return (reachId, seen.GetProperty("recipients")[0].GetProperty("threadId").GetString()!);
    }

    [Fact]
    public async Task ImHere_OpensALiveConversation_ForTheTwoOnly_SealedAtRest_AndClosingItDeletesIt()
    {
        var owner = await app.RegisterAsync("Robin Talking");
        var supporter = await app.RegisterAsync("Sam Listening");
        var stranger = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, supporter, "Sam");
        await using var supporterStream = await LiveEvents.OpenAsync(app, supporter);
        await using var ownerStream = await LiveEvents.OpenAsync(app, owner);
        await using var strangerStream = await LiveEvents.OpenAsync(app, stranger);

        var (_, threadId) = await HereAsync(owner, supporter);
        var supporterView = await supporter.Api.GetFromJsonAsync<JsonElement>("/api/v1/threads");
        Assert.Equal(threadId, supporterView.GetProperty("items")[0].GetProperty("id").GetString());

        const string canary = "Thread Canary Bittern 5521";
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync($"/api/v1/threads/{threadId}/messages", new { text = canary }), HttpStatusCode.Created);
        Assert.Equal(("thread.message", threadId), await supporterStream.NextAsync("thread.message"));
        var read = await supporter.Api.GetFromJsonAsync<JsonElement>($"/api/v1/threads/{threadId}");
        var first = read.GetProperty("messages")[0];
        Assert.Equal((canary, "Robin Talking", false), (first.GetProperty("text").GetString(), first.GetProperty("author").GetString(), first.GetProperty("mine").GetBoolean()));
        Assert.Equal("Robin Talking", read.GetProperty("with").GetString());

        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/threads/{threadId}/messages", new { text = "I'm right here with you" }), HttpStatusCode.Created);
        Assert.Equal(("thread.message", threadId), await ownerStream.NextAsync("thread.message"));
        var mine = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/threads/{threadId}");
        Assert.Equal("Sam", mine.GetProperty("with").GetString());
        Assert.Equal(["You", "Sam"], mine.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("author").GetString()));

        // Bad input, nothing saved.
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync($"/api/v1/threads/{threadId}/messages", new { text = "  " }), "text");
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync($"/api/v1/threads/{threadId}/messages", new { text = new string('x', Threads.MaxMessage + 1) }), "text");
        Assert.Equal(2, (await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/threads/{threadId}")).GetProperty("messages").GetArrayLength());

        // Nobody else: 404 on every route, nothing on their stream, nothing readable at rest.
        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PostAsJsonAsync($"/api/v1/threads/{threadId}/messages", new { text = "hi" }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Api.GetFromJsonAsync<JsonElement>("/api/v1/threads")).GetProperty("items").EnumerateArray());
        await Task.Delay(200);
        Assert.False(strangerStream.Events.Reader.TryRead(out _), "A stranger's stream received an event");
        Assert.False(await app.HoldsPlaintextAsync(canary, "ThreadMessages", "Body"), "The message is stored in plaintext");

        // The pair key is sealed twice, once under each person's key, and opens the same for both.
        await app.WithDbAsync(async db =>
        {
            var member = await db.Set<CircleMember>().AsNoTracking().SingleAsync(m => m.OwnerId == owner.Id && m.SupporterId == supporter.Id);
            Assert.NotNull(member.PairKeyOwner);
            var keys = new PairKeys(db, app.Service<Attune.Data.WriteGate>());
            Assert.Equal(await keys.ForAsync(member, owner.Id), await keys.ForAsync(member, supporter.Id));
            Assert.Throws<InvalidOperationException>(() => keys.ForAsync(member, stranger.Id).GetAwaiter().GetResult());
            return 0;
        });

        // Either closes it: gone for both, messages deleted.
        await Expect.StatusAsync(await supporter.Api.DeleteAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.NoContent);
        Assert.Equal(("thread.ended", threadId), await ownerStream.NextAsync("thread.ended"));
        await Expect.StatusAsync(await owner.Api.GetAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ThreadMessage>().CountAsync(m => m.ThreadId == Guid.Parse(threadId))));
    }

    [Fact]
    public async Task EndingTheRelationship_OrDeletingAnAccount_EndsConversationsAndShares_AndLeavesNoKey()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        var memberId = await Circles.JoinAsync(app, owner, supporter, "Sup");
        var (_, threadId) = await HereAsync(owner, supporter);
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync($"/api/v1/threads/{threadId}/messages", new { text = "hello" }), HttpStatusCode.Created);
        var entry = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "shared words" }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var share = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = supporter.Id }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/shares/{share}/witness", new { text = "I hear you" }), HttpStatusCode.Created);

        await Expect.StatusAsync(await supporter.Api.DeleteAsync($"/api/v1/circle/{memberId}"), HttpStatusCode.NoContent);
        foreach (var who in new[] { owner, supporter })
        {
            await Expect.StatusAsync(await who.Api.GetAsync($"/api/v1/threads/{threadId}"), HttpStatusCode.NotFound);
            await Expect.StatusAsync(await who.Api.GetAsync($"/api/v1/shares/{share}"), HttpStatusCode.NotFound);
        }
        Assert.Equal((0, 0, 0), await app.WithDbAsync(async db => (
            await db.Set<CircleThread>().CountAsync(t => t.MemberId == Guid.Parse(memberId)),
            await db.Set<Share>().CountAsync(s => EF.Property<Guid?>(s, "MemberId") == Guid.Parse(memberId)),
            await db.Set<CircleMember>().CountAsync(m => m.Id == Guid.Parse(memberId)))));

        // Deleting an account: the other person's access ends at once, and the key goes with the row.
        var again = await Circles.JoinAsync(app, owner, supporter, "Sup again");
        var (_, second) = await HereAsync(owner, supporter);
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync($"/api/v1/threads/{second}/messages", new { text = "hello again" }), HttpStatusCode.Created);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = supporter.Password }) };
        await Expect.StatusAsync(await supporter.Api.SendAsync(delete), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await owner.Api.GetAsync($"/api/v1/threads/{second}"), HttpStatusCode.NotFound);
        Assert.Equal((0, 0), await app.WithDbAsync(async db => (
            await db.Set<CircleMember>().CountAsync(m => m.Id == Guid.Parse(again)),
            await db.Set<ThreadMessage>().CountAsync(m => m.ThreadId == Guid.Parse(second)))));
    }

    [Fact]
    public async Task AShare_IsReadAndWitnessed_TheOwnerSeesItLive_AndRevokingEndsItOnTheNextRequest()
    {
        var owner = await app.RegisterAsync("Robin Sharing");
        var supporter = await app.RegisterAsync("Sam Witness");
        var stranger = await app.RegisterAsync();
        var memberId = await Circles.JoinAsync(app, owner, supporter, "Sam");
        const string canary = "Share Canary Wren 8840";
        var entry = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/journal",
            new { kind = "memory", title = "The kitchen", memory = new { age = 7, place = "kitchen", whatHappened = canary, needed = "someone to stay" } }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        await using var supporterStream = await LiveEvents.OpenAsync(app, supporter);
        await using var ownerStream = await LiveEvents.OpenAsync(app, owner);

        var created = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = supporter.Id }), HttpStatusCode.Created)).RootElement;
        var shareId = created.GetProperty("id").GetString()!;
        Assert.Equal(("share.received", shareId), await supporterStream.NextAsync("share.received"));
        // Sharing the same thing again with the same person is the same share.
        var again = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = supporter.Id }), HttpStatusCode.OK)).RootElement;
        Assert.Equal(shareId, again.GetProperty("id").GetString());

        var list = await supporter.Api.GetFromJsonAsync<JsonElement>("/api/v1/shared-with-me");
        var listed = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("The kitchen", "Robin Sharing"), (listed.GetProperty("title").GetString(), listed.GetProperty("with").GetString()));
        var read = await supporter.Api.GetFromJsonAsync<JsonElement>($"/api/v1/shares/{shareId}");
        Assert.Equal("reader", read.GetProperty("role").GetString());
        Assert.Contains(read.GetProperty("item").GetProperty("lines").EnumerateArray(), l => l.GetProperty("text").GetString() == canary);
        Assert.Equal(("share.read", shareId), await ownerStream.NextAsync("share.read"));

        // The owner sees who read it and when, here and in their access log.
        var ownerView = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/shares/{shareId}");
        Assert.Equal("Sam", Assert.Single(ownerView.GetProperty("reads").EnumerateArray()).GetProperty("by").GetString());
        var log = await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("itemId").GetString() == entry && e.GetProperty("actorId").GetString() == supporter.Id);

        // Witnessing: advice-like openers are flagged, the owner hears it live and reads both.
        const string reflection = "Witness Canary Lapwing: I hear how alone you were in that kitchen.";
        var w1 = JsonDocument.Parse(await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = reflection }), HttpStatusCode.Created)).RootElement;
        Assert.False(w1.GetProperty("adviceLike").GetBoolean());
        Assert.Equal(("share.witnessed", shareId), await ownerStream.NextAsync("share.witnessed"));
        var w2 = JsonDocument.Parse(await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "You should talk to her about it." }), HttpStatusCode.Created)).RootElement;
        Assert.True(w2.GetProperty("adviceLike").GetBoolean());
        ownerView = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/shares/{shareId}");
        Assert.Equal([reflection, "You should talk to her about it."], ownerView.GetProperty("reflections").EnumerateArray().Select(r => r.GetProperty("text").GetString()));
        Assert.Equal("Sam", ownerView.GetProperty("reflections")[0].GetProperty("author").GetString());
        Assert.False(await app.HoldsPlaintextAsync("Witness Canary Lapwing", "WitnessReflections", "Text"), "The reflection is stored in plaintext");

        // Bad input, each naming its field.
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "photo", itemId = entry, withUserId = supporter.Id }), "itemType");
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = Guid.NewGuid(), withUserId = supporter.Id }), "itemId");
        await Expect.ProblemNamingAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = stranger.Id }), "withUserId");
        await Expect.ProblemNamingAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "" }), "text");
        await Expect.ProblemNamingAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = new string('x', Shares.MaxReflection + 1) }), "text");
        // Someone else's item can't be shared by anyone but its owner.
        await Expect.ProblemNamingAsync(await supporter.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = owner.Id }), "itemId");

        // Nobody else sees or changes it; the reader can't revoke and the owner can't witness their own.
        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "hi" }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await supporter.Api.DeleteAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await owner.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "hi" }), HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Api.GetFromJsonAsync<JsonElement>("/api/v1/shared-with-me")).GetProperty("items").EnumerateArray());

        // Turning off "may see what I share" ends access too, and turning it on brings it back.
        await Expect.StatusAsync(await owner.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { canSeeShared = false }), HttpStatusCode.OK);
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await owner.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { canSeeShared = true }), HttpStatusCode.OK);
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.OK);

        // Revoked: the very next request answers 404, and the reader's stream hears it.
        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "still?" }), HttpStatusCode.NotFound);
        Assert.Equal(("share.revoked", shareId), await supporterStream.NextAsync("share.revoked"));
        Assert.Empty((await supporter.Api.GetFromJsonAsync<JsonElement>("/api/v1/shared-with-me")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task PracticeAnswersAndCheckIns_CanBeSharedToo()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, supporter, "Sup");
        var session = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { sudsBefore = 4 }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await owner.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{session}", new { answers = new Dictionary<string, string> { ["return"] = "a beach at dusk" }, sudsAfter = 2, completed = true }), HttpStatusCode.OK);
        var checkIn = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 1, 2, 1, 0, 1, 1, 2 } }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();

        var practiceShare = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "practice", itemId = session, withUserId = supporter.Id }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var practice = await supporter.Api.GetFromJsonAsync<JsonElement>($"/api/v1/shares/{practiceShare}");
        var lines = practice.GetProperty("item").GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()).ToList();
        Assert.Contains("a beach at dusk", lines);
        Assert.Contains("Distress before: 4/10 · after: 2/10", lines);

        var checkInShare = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "checkin", itemId = checkIn, withUserId = supporter.Id }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        var result = await supporter.Api.GetFromJsonAsync<JsonElement>($"/api/v1/shares/{checkInShare}");
        var resultLines = result.GetProperty("item").GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()).ToList();
        Assert.Contains(resultLines, l => l!.StartsWith("Score 8 of 21", StringComparison.Ordinal));
        Assert.Contains(resultLines, l => l!.Contains("Spitzer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePages_ShareReadWitnessWithAGentleCheck_TalkAndTakeBack()
    {
        var owner = await app.RegisterAsync("Robin Pages");
        var supporter = await app.RegisterAsync("Sam Pages");
        var stranger = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, supporter, "Sam");
        var entry = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "Page Canary Ibis", text = "the long summer" }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        using var supporterPages = await app.SignInPagesAsync(supporter.Email);
        using var strangerPages = await app.SignInPagesAsync(stranger.Email);

        Assert.Contains("Share with someone", await ownerPages.GetPageAsync($"/journal/{entry}"));
        var shared = await ownerPages.PostFormAsync($"/shares/new?type=journal&id={entry}", [F("with", supporter.Id)], formPage: $"/shares/new?type=journal&id={entry}");
        Assert.Equal(HttpStatusCode.Redirect, shared.StatusCode);
        var sharePath = shared.Headers.Location!.OriginalString;
        Assert.Equal(HttpStatusCode.NotFound, (await strangerPages.Http.GetAsync(sharePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerPages.Http.GetAsync($"/shares/new?type=journal&id={entry}")).StatusCode);

        Assert.Contains("Page Canary Ibis", await supporterPages.GetPageAsync("/shared"));
        Assert.Contains("the long summer", await supporterPages.GetPageAsync(sharePath));
        // An advice-like reflection gets a gentle question first, and is kept, unsent, in the box.
        var asked = await supporterPages.PostFormAsync(sharePath + "?handler=Witness", [F("text", "You should just let it go.")], formPage: sharePath);
        var askedPage = await asked.Content.ReadAsStringAsync();
        Assert.Contains("would you like to reflect what you heard instead?", askedPage, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("You should just let it go.", askedPage);
        Assert.Equal(0, (await owner.Api.GetFromJsonAsync<JsonElement>(sharePath.Replace("/shares/", "/api/v1/shares/", StringComparison.Ordinal))).GetProperty("witnesses").GetInt32());
        var sent = await supporterPages.PostFormAsync(sharePath + "?handler=Witness", [F("text", "That summer sounds so long and lonely.")], formPage: sharePath);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var ownerPage = await ownerPages.GetPageAsync(sharePath);
        Assert.Contains("That summer sounds so long and lonely.", ownerPage);
        Assert.Contains("Who read it, and when", ownerPage);

        // A conversation, through the pages.
        var (_, threadId) = await HereAsync(owner, supporter);
        Assert.Contains($"/threads/{threadId}", await ownerPages.GetPageAsync("/shared"));
        var posted = await supporterPages.PostFormAsync($"/threads/{threadId}", [F("text", "I'm here, take your time")]);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains("I&#x27;m here, take your time", await ownerPages.GetPageAsync($"/threads/{threadId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await strangerPages.Http.GetAsync($"/threads/{threadId}")).StatusCode);
        var empty = await ownerPages.PostFormAsync($"/threads/{threadId}", [F("text", " ")]);
        Assert.Contains("Please write something to send.", await empty.Content.ReadAsStringAsync());

        // Taking it back.
        var revoked = await ownerPages.PostFormAsync(sharePath + "?handler=Revoke", [], formPage: sharePath);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supporterPages.Http.GetAsync(sharePath)).StatusCode);
    }

    [Theory]
    [InlineData("You should call her.", true)]
    [InlineData("I hear you. Have you tried meditating?", true)]
    [InlineData("Maybe you need to rest more", true)]
    [InlineData("“Why don't you just leave?”", true)]
    [InlineData("At least you're safe now.", true)]
    [InlineData("I hear how scared you were.", false)]
    [InlineData("It sounds like you should have been protected, and you weren't.", false)]
    [InlineData("What you wrote moved me. You needed someone to stay.", false)]
    [InlineData("Thank you for trusting me with this.", false)]
    [InlineData("", false)]
    public void AdviceLikeOpeners_AreNoticed_ButReflectionsAreNot(string text, bool advice) =>
        Assert.Equal(advice, WitnessCheck.LooksLikeAdvice(text));
}
