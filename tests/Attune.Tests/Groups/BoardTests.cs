using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Groups;
using Attune.Infrastructure.Jobs;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Groups;

/// <summary>
/// The between-meetings board: the people inside post, witness each other (fixed replies that toggle,
/// a short reflection checked for advice), withdraw their own; the board is read-only once the group
/// closes, and everything goes 14 days later. Nobody outside gets anything but 404.
/// </summary>
public sealed class BoardTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static string Board(Guid groupId) => $"/api/v1/groups/{groupId}/board";

    private static async Task<JsonElement> ReadAsync(Person reader, Guid groupId) =>
        JsonDocument.Parse(await Expect.StatusAsync(await reader.Api.GetAsync(Board(groupId)), HttpStatusCode.OK)).RootElement;

    [Fact]
    public async Task MembersPostWitnessAndWithdraw_ReflectionsAreAskedAboutAdvice_AndNobodyOutsideSeesAnything()
    {
        var facilitator = await app.RegisterAsync("Facilitator Account Name");
        var robin = await app.RegisterAsync("Robin Account Name");
        var sam = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, facilitatorName: "Noor");
        await Support.Groups.SeedMemberAsync(app, group.Id, robin, "Robin");
        var samId = await Support.Groups.SeedMemberAsync(app, group.Id, sam, "Sam");
        await using var robinStream = await LiveEvents.OpenAsync(app, robin);
        await using var strangerStream = await LiveEvents.OpenAsync(app, stranger);

        const string canary = "Board Canary Plover 3318";
        var post = await Support.Groups.PostOnBoardAsync(sam, group.Id, canary);
        var postId = post.GetProperty("id").GetString()!;
        Assert.Equal(("group.board", group.Id.ToString()), await robinStream.NextAsync("group.board"));
        Assert.Equal((samId.ToString(), "Sam", true), (post.GetProperty("author").GetProperty("memberId").GetString(), post.GetProperty("author").GetProperty("name").GetString(), post.GetProperty("mine").GetBoolean()));
        Assert.False(await app.HoldsPlaintextAsync(canary, "GroupBoardPosts", "Body"), "A board post is stored in plaintext");

        // Everyone inside reads it by the name the group sees; never an account's name.
        var seen = await ReadAsync(robin, group.Id);
        var first = Assert.Single(seen.GetProperty("items").EnumerateArray());
        Assert.Equal((canary, "Sam", false), (first.GetProperty("text").GetString(), first.GetProperty("author").GetProperty("name").GetString(), first.GetProperty("mine").GetBoolean()));
        Assert.DoesNotContain("Account Name", seen.ToString());
        Assert.False(seen.GetProperty("readOnly").GetBoolean());
        Assert.Contains(canary, (await ReadAsync(facilitator, group.Id)).ToString());

        // Fixed replies toggle and are counted without names; your own post isn't yours to witness.
        var witnessed = JsonDocument.Parse(await Expect.StatusAsync(await robin.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { kind = "hear" }), HttpStatusCode.OK)).RootElement;
        Assert.Equal(1, witnessed.GetProperty("witnesses").GetProperty("hear").GetInt32());
        Assert.Equal(["hear"], witnessed.GetProperty("myWitnesses").EnumerateArray().Select(k => k.GetString()));
        await Expect.StatusAsync(await facilitator.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { kind = "hear" }), HttpStatusCode.OK);
        var again = JsonDocument.Parse(await Expect.StatusAsync(await robin.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { kind = "hear" }), HttpStatusCode.OK)).RootElement;
        Assert.Equal(1, again.GetProperty("witnesses").GetProperty("hear").GetInt32());
        Assert.Empty(again.GetProperty("myWitnesses").EnumerateArray());
        var own = await sam.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { kind = "thanks" });
        await Expect.StatusAsync(own, HttpStatusCode.Forbidden);
        await Expect.ProblemNamingAsync(await robin.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { kind = "applause" }), "kind");

        // A reflection that reads like advice gets the gentle question, nothing saved; sent anyway, it goes.
        var advice = await Expect.ProblemNamingAsync(await robin.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { text = "You should try journaling every night" }), "text");
        Assert.True(advice.GetProperty("adviceLike").GetBoolean());
        Assert.Empty((await ReadAsync(sam, group.Id)).GetProperty("items")[0].GetProperty("reflections").EnumerateArray());
        await Expect.ProblemNamingAsync(await robin.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { text = new string('x', 281) }), "text");
        await Expect.StatusAsync(await robin.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { text = "I hear how tired you are", sendAnyway = false }), HttpStatusCode.OK);
        var reflections = (await ReadAsync(sam, group.Id)).GetProperty("items")[0].GetProperty("reflections");
        Assert.Equal([("Robin", "I hear how tired you are")], reflections.EnumerateArray().Select(r => (r.GetProperty("author").GetProperty("name").GetString(), r.GetProperty("text").GetString())));

        // Bad input names the field and saves nothing.
        await Expect.ProblemNamingAsync(await robin.Api.PostAsJsonAsync(Board(group.Id), new { text = "  " }), "text");
        await Expect.ProblemNamingAsync(await robin.Api.PostAsJsonAsync(Board(group.Id), new { text = new string('x', 2001) }), "text");
        await Expect.ProblemNamingAsync(await robin.Api.PostAsJsonAsync(Board(group.Id), new { text = "a\u0000b" }), "text");

        // Outside the group: 404 for every route, nothing on the stream.
        await Expect.StatusAsync(await stranger.Api.GetAsync(Board(group.Id)), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PostAsJsonAsync(Board(group.Id), new { text = "hello" }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PostAsJsonAsync($"{Board(group.Id)}/{postId}/witness", new { kind = "heart" }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"{Board(group.Id)}/{postId}"), HttpStatusCode.NotFound);
        using var strangerPages = await app.SignInPagesAsync(stranger.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerPages.Http.GetAsync($"/groups/{group.Id}/board")).StatusCode);
        Assert.False(strangerStream.Events.Reader.TryRead(out var stray), $"Someone outside the group got {stray}");

        // Only the author (or the facilitator) takes a post back; then it's gone for everyone, replies with it.
        await Expect.StatusAsync(await robin.Api.DeleteAsync($"{Board(group.Id)}/{postId}"), HttpStatusCode.Forbidden);
        await Expect.StatusAsync(await sam.Api.DeleteAsync($"{Board(group.Id)}/{postId}"), HttpStatusCode.NoContent);
        Assert.Empty((await ReadAsync(robin, group.Id)).GetProperty("items").EnumerateArray());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<GroupBoardWitness>().CountAsync(w => w.PostId == Guid.Parse(postId))));
        var robins = (await Support.Groups.PostOnBoardAsync(robin, group.Id, "Robin's words")).GetProperty("id").GetString();
        await Expect.StatusAsync(await facilitator.Api.DeleteAsync($"{Board(group.Id)}/{robins}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task CrisisWordsOnTheBoard_AnswerTheWriterWithTheirOwnSafety_AndTellTheFacilitatorOnlyThatTheyMayNeedAWord()
    {
        var facilitator = await app.RegisterAsync("Facilitator Account Name");
        var robin = await app.RegisterAsync("Robin Account Name");
        var sam = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, facilitatorName: "Noor");
        var robinId = await Support.Groups.SeedMemberAsync(app, group.Id, robin, "Robin");
        await Support.Groups.SeedMemberAsync(app, group.Id, sam, "Sam");
        const string crisis = "Some nights I want to die, and I don't tell anyone. Board canary 7781";
        await Expect.StatusAsync(await robin.Api.PutAsJsonAsync("/api/v1/safety-plan", new
        {
            warningSigns = Array.Empty<string>(),
            copingStrategies = new[] { "Cold water on my face" },
            distractions = Array.Empty<string>(),
            helpers = Array.Empty<string>(),
            professionals = Array.Empty<string>(),
            safeEnvironment = Array.Empty<string>(),
            reasonsToLive = Array.Empty<string>(),
        }), HttpStatusCode.OK);

        // The writer alone gets their crisis lines, plan and reach in the answer to their post; a calm post gets none.
        var post = await Support.Groups.PostOnBoardAsync(robin, group.Id, crisis);
        var safety = post.GetProperty("safety");
        Assert.True(safety.GetProperty("crisis").GetBoolean(), post.ToString());
        Assert.Equal(["Cold water on my face"], safety.GetProperty("safetyPlan").EnumerateArray().Select(i => i.GetString()!).ToArray());
        Assert.True(safety.GetProperty("lines").GetProperty("international").GetProperty("services").GetArrayLength() > 0, post.ToString());
        Assert.True(safety.TryGetProperty("reach", out _), post.ToString());
        var calm = await Support.Groups.PostOnBoardAsync(sam, group.Id, "A quiet week, thank you all");
        Assert.Equal(JsonValueKind.Null, calm.GetProperty("safety").ValueKind);

        // The facilitator sees who may need a word, never the words beyond the board; members see no such list; no GET carries a safety answer.
        var asFacilitator = await ReadAsync(facilitator, group.Id);
        var attention = Assert.Single(asFacilitator.GetProperty("attention").EnumerateArray());
        Assert.Equal((robinId.ToString(), "Robin"), (attention.GetProperty("memberId").GetString(), attention.GetProperty("name").GetString()));
        foreach (var member in new[] { robin, sam })
        {
            var seen = await ReadAsync(member, group.Id);
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("attention").ValueKind);
            Assert.All(seen.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("safety").ValueKind));
        }
        using var facilitatorPages = await app.SignInPagesAsync(facilitator.Email);
        var manage = await facilitatorPages.GetPageAsync($"/groups/{group.Id}/manage");
        Assert.Contains("Robin</strong> may need a private word", manage);
        Assert.DoesNotContain("Board canary 7781", manage);
        Assert.Contains("Robin</strong> may need a private word", await facilitatorPages.GetPageAsync($"/groups/{group.Id}/board"));
        using var samPages = await app.SignInPagesAsync(sam.Email);
        Assert.DoesNotContain("may need a private word", await samPages.GetPageAsync($"/groups/{group.Id}/board"));

        // A reflection with crisis words does the same; once the facilitator has written to them, the line goes.
        var samsPost = calm.GetProperty("id").GetString();
        var reflected = JsonDocument.Parse(await Expect.StatusAsync(await robin.Api.PostAsJsonAsync($"{Board(group.Id)}/{samsPost}/witness", new { text = "Me too. I want to die some days." }), HttpStatusCode.OK)).RootElement;
        Assert.True(reflected.GetProperty("safety").GetProperty("crisis").GetBoolean(), reflected.ToString());
        await Expect.StatusAsync(await facilitator.Api.PostAsJsonAsync($"/api/v1/groups/{group.Id}/members/{robinId}/messages", new { text = "I'm here if you'd like to talk." }), HttpStatusCode.Created);
        Assert.Empty((await ReadAsync(facilitator, group.Id)).GetProperty("attention").EnumerateArray());
        Assert.DoesNotContain("may need a private word", await facilitatorPages.GetPageAsync($"/groups/{group.Id}/manage"));

        // On the page, without a script: the writer is told, in words, who was let know, once.
        using var robinPages = await app.SignInPagesAsync(robin.Email);
        var url = $"/groups/{group.Id}/board";
        var posted = await robinPages.PostFormAsync(url, new Dictionary<string, string> { ["text"] = crisis });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var page = await robinPages.GetPageAsync(posted.Headers.Location!.OriginalString);
        Assert.Contains("We've let Noor know you may want a private word", page);
        Assert.Contains("Cold water on my face", page);
        Assert.DoesNotContain("may want a private word", await robinPages.GetPageAsync(url));
    }

    [Fact]
    public async Task ThePage_PostsAndAsksAboutAdviceInPlace_WithoutScript()
    {
        var facilitator = await app.RegisterAsync();
        var robin = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, title: "Tuesday circle");
        await Support.Groups.SeedMemberAsync(app, group.Id, robin, "Robin");
        await Support.Groups.SeedMemberAsync(app, group.Id, sam, "Sam");
        var postId = (await Support.Groups.PostOnBoardAsync(sam, group.Id, "It was a long week")).GetProperty("id").GetString();

        using var pages = await app.SignInPagesAsync(robin.Email);
        var url = $"/groups/{group.Id}/board";
        Assert.Contains("It was a long week", await pages.GetPageAsync(url));
        var posted = await pages.PostFormAsync(url, new Dictionary<string, string> { ["text"] = "Thinking of you all" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Contains("Thinking of you all", await pages.GetPageAsync(url));

        var asked = await pages.PostFormAsync($"{url}?handler=Witness&postId={postId}", new Dictionary<string, string> { ["reflection"] = "You need to rest more" }, url);
        var page = await asked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("This sounds a little like advice", page);
        Assert.Contains("You need to rest more", page);
        var sent = await pages.PostFormAsync($"{url}?handler=Witness&postId={postId}", new Dictionary<string, string> { ["reflection"] = "You need to rest more", ["sendAnyway"] = "true" }, url);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("You need to rest more", await pages.GetPageAsync(url));
    }

    [Fact]
    public async Task OnceTheGroupCloses_TheBoardIsReadOnly_PostsGoAfter30Days_AndEverythingGoes14DaysAfterClosing()
    {
        var facilitator = await app.RegisterAsync();
        var robin = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator);
        await Support.Groups.SeedMemberAsync(app, group.Id, robin, "Robin");
        await Support.Groups.SeedMemberAsync(app, group.Id, sam, "Sam");
        var old = (await Support.Groups.PostOnBoardAsync(sam, group.Id, "From the first week")).GetProperty("id").GetString()!;

        // Thirty days on, the daily retention takes the old post; a newer one stays.
        app.Clock.Advance(TimeSpan.FromDays(20));
        (robin, sam, facilitator) = (await app.SignInAsync(robin.Email), await app.SignInAsync(sam.Email), await app.SignInAsync(facilitator.Email));
        var newer = (await Support.Groups.PostOnBoardAsync(robin, group.Id, "Three weeks in")).GetProperty("id").GetString()!;
        app.Clock.Advance(TimeSpan.FromDays(11));
        (robin, sam, facilitator) = (await app.SignInAsync(robin.Email), await app.SignInAsync(sam.Email), await app.SignInAsync(facilitator.Email));
        await app.WithDbAsync(async db =>
        {
            db.Add(new Job { Id = Attune.Infrastructure.SequentialGuid.Next(), Kind = GroupJobs.Retention, Subject = group.Id, DueAt = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        await app.JobsDoneAsync();
        Assert.Equal([newer], (await ReadAsync(sam, group.Id)).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.False(await app.WithDbAsync(db => db.Set<GroupBoardPost>().AnyAsync(p => p.Id == Guid.Parse(old))));

        // A member can't close it; the facilitator does, and the board turns read-only (403 with a kind word).
        await Expect.StatusAsync(await robin.Api.PostAsync($"/api/v1/groups/{group.Id}/close", null), HttpStatusCode.Forbidden);
        var closed = JsonDocument.Parse(await Expect.StatusAsync(await facilitator.Api.PostAsync($"/api/v1/groups/{group.Id}/close", null), HttpStatusCode.OK)).RootElement;
        var goneAt = closed.GetProperty("goneAt").GetDateTimeOffset();
        Assert.Equal(closed.GetProperty("closedAt").GetDateTimeOffset().AddDays(14), goneAt);
        var board = await ReadAsync(robin, group.Id);
        Assert.True(board.GetProperty("readOnly").GetBoolean());
        Assert.Equal(goneAt, board.GetProperty("goneAt").GetDateTimeOffset());
        var refused = await sam.Api.PostAsJsonAsync(Board(group.Id), new { text = "One more thing" });
        Assert.Contains("read-only", await Expect.StatusAsync(refused, HttpStatusCode.Forbidden));
        await Expect.StatusAsync(await sam.Api.PostAsJsonAsync($"{Board(group.Id)}/{newer}/witness", new { kind = "heart" }), HttpStatusCode.Forbidden);
        using (var pages = await app.SignInPagesAsync(robin.Email))
            Assert.Contains("This group has closed", await pages.GetPageAsync($"/groups/{group.Id}/board"));

        // Fourteen days after closing, the group, its board and its key are gone; everyone gets 404.
        app.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        await app.JobsDoneAsync();
        robin = await app.SignInAsync(robin.Email);
        await Expect.StatusAsync(await robin.Api.GetAsync(Board(group.Id)), HttpStatusCode.NotFound);
        Assert.False(await app.WithDbAsync(db => db.Set<Group>().AnyAsync(g => g.Id == group.Id)));
        Assert.False(await app.WithDbAsync(db => db.Set<GroupBoardPost>().AnyAsync(p => p.GroupId == group.Id)));
        Assert.False(await app.WithDbAsync(db => db.Set<Attune.Infrastructure.Crypto.SharedKeyEpoch>().AnyAsync(e => e.KeyId == group.Id)));
    }
}
