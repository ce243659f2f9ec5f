using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Groups;

/// <summary>
/// Sharing one journal entry with a group: everyone in it now reads it, each read is logged in the
/// owner's access log, reflections are sealed under the group's key at its newest epoch (so someone
/// who joins after a rotation doesn't read earlier ones), and taking it back hides it at once.
/// </summary>
public sealed class GroupShareTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static async Task<string> EntryAsync(Person owner, string text) =>
        JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "After the rain", text }), HttpStatusCode.Created))
            .RootElement.GetProperty("id").GetString()!;

    private static async Task<JsonElement> ShareAsync(Person owner, string entryId, Guid groupId, HttpStatusCode expected = HttpStatusCode.Created) =>
        JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entryId, withUserId = $"group:{groupId}" }), expected)).RootElement;

    private static async Task<JsonElement> ReadAsync(Person reader, string shareId) =>
        JsonDocument.Parse(await Expect.StatusAsync(await reader.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.OK)).RootElement;

    private static async Task<List<string>> SharedWithMeAsync(Person someone) =>
        [.. (await someone.Api.GetFromJsonAsync<JsonElement>("/api/v1/shared-with-me")).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    [Fact]
    public async Task AnEntrySharedWithTheGroup_IsReadByEachMember_EachReadLogged_AndTakingItBackHidesItAtOnce()
    {
        var facilitator = await app.RegisterAsync("Facilitator Account Name");
        var owner = await app.RegisterAsync("Robin Account Name");
        var sam = await app.RegisterAsync("Sam Account Name");
        var stranger = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator, title: "Evenings of listening", facilitatorName: "Noor");
        await Support.Groups.SeedMemberAsync(app, group.Id, owner, "Robin");
        await Support.Groups.SeedMemberAsync(app, group.Id, sam, "Sam");
        const string canary = "Group Share Canary Heron 4471";
        var entry = await EntryAsync(owner, canary);

        // The group is offered on the share page like anyone else.
        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        Assert.Contains("Your group: Evenings of listening", await ownerPages.GetPageAsync($"/shares/new?type=journal&id={entry}"));

        await using var samStream = await LiveEvents.OpenAsync(app, sam);
        await using var strangerStream = await LiveEvents.OpenAsync(app, stranger);
        var created = await ShareAsync(owner, entry, group.Id);
        var shareId = created.GetProperty("id").GetString()!;
        Assert.Equal("Evenings of listening (your group)", created.GetProperty("with").GetString());
        Assert.Equal(("share.received", shareId), await samStream.NextAsync("share.received"));
        Assert.Equal(shareId, (await ShareAsync(owner, entry, group.Id, HttpStatusCode.OK)).GetProperty("id").GetString());

        // Each member, and the facilitator, finds it and reads it; the owner is named as the group knows them.
        foreach (var reader in new[] { sam, facilitator })
        {
            Assert.Contains(shareId, await SharedWithMeAsync(reader));
            var read = await ReadAsync(reader, shareId);
            Assert.Equal(("reader", "Robin"), (read.GetProperty("role").GetString(), read.GetProperty("with").GetString()));
            Assert.Contains(canary, read.GetProperty("item").ToString());
        }
        Assert.DoesNotContain(shareId, await SharedWithMeAsync(owner));

        // Someone outside the group: 404 everywhere, nothing listed, nothing on their stream.
        Assert.Empty(await SharedWithMeAsync(stranger));
        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "I hear you" }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await sam.Api.DeleteAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.ProblemNamingAsync(await stranger.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = await EntryAsync(stranger, "mine"), withUserId = $"group:{group.Id}" }), "withUserId");

        // Sam reflects; the owner reads it under Sam's group name, and sees each reader's read, by group name.
        await Expect.StatusAsync(await sam.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "I hear how much the rain held for you" }), HttpStatusCode.Created);
        Assert.Contains("Your group, Evenings of listening</strong> wrote back", await ownerPages.GetPageAsync("/"));
        var mine = await ReadAsync(owner, shareId);
        var reflection = Assert.Single(mine.GetProperty("reflections").EnumerateArray());
        Assert.Equal(("Sam", false), (reflection.GetProperty("author").GetString(), reflection.GetProperty("mine").GetBoolean()));
        Assert.Equal(["Noor", "Sam"], mine.GetProperty("reads").EnumerateArray().Select(r => r.GetProperty("by").GetString()).Order(StringComparer.Ordinal));
        var log = (await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("itemId").GetString() == entry).Select(e => e.GetProperty("actorId").GetString()).ToList();
        Assert.Equal(2, log.Count);
        Assert.Contains(sam.Id, log);
        Assert.Contains(facilitator.Id, log);
        // The access log names each reader as the group knows them, never by their account, in the API and on the page.
        var logged = (await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("itemId").GetString() == entry).ToDictionary(e => e.GetProperty("actorId").GetString()!, e => e.GetProperty("actorName").GetString());
        Assert.Equal(("Sam", "Noor"), (logged[sam.Id], logged[facilitator.Id]));
        var logPage = await ownerPages.GetPageAsync("/privacy/access-log");
        Assert.Contains("Sam", logPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Account Name", logPage, StringComparison.Ordinal);
        Assert.False(await app.HoldsPlaintextAsync("I hear how much the rain held", "WitnessReflections", "Text"), "The reflection is stored in plaintext");

        // Taken back: gone for every reader on their next request.
        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NoContent);
        Assert.Equal(("share.revoked", shareId), await samStream.NextAsync("share.revoked"));
        await Expect.StatusAsync(await sam.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await facilitator.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        Assert.Empty(await SharedWithMeAsync(sam));
        Assert.False(strangerStream.Events.Reader.TryRead(out var stray), $"Someone outside the group got {stray}");
    }

    [Fact]
    public async Task SomeoneWhoJoinsAfterTheKeyRotates_ReadsTheShareButNotEarlierReflections_AndSomeoneWhoLeftReadsNothing()
    {
        var facilitator = await app.RegisterAsync();
        var owner = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var leaving = await app.RegisterAsync();
        var late = await app.RegisterAsync();
        var group = await Support.Groups.SeedGroupAsync(app, facilitator);
        await Support.Groups.SeedMemberAsync(app, group.Id, owner, "Robin");
        await Support.Groups.SeedMemberAsync(app, group.Id, sam, "Sam");
        await Support.Groups.SeedMemberAsync(app, group.Id, leaving, "Kit");
        var shareId = (await ShareAsync(owner, await EntryAsync(owner, "Words for the group"), group.Id)).GetProperty("id").GetString()!;
        await Expect.StatusAsync(await sam.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "Before anyone left" }), HttpStatusCode.Created);
        await ReadAsync(leaving, shareId);

        // Leaving rotates the group's key: the one who left reads nothing from the next request on.
        await Support.Groups.LeaveAsync(app, group.Id, leaving);
        await Expect.StatusAsync(await leaving.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.NotFound);
        Assert.Empty(await SharedWithMeAsync(leaving));

        // Someone who joins now holds only the new epoch: the share, yes; what was written before they came, no.
        await Support.Groups.SeedMemberAsync(app, group.Id, late, "Ash");
        var first = await ReadAsync(late, shareId);
        Assert.Empty(first.GetProperty("reflections").EnumerateArray());
        await Expect.StatusAsync(await sam.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = "After Ash came" }), HttpStatusCode.Created);
        Assert.Equal(["After Ash came"], (await ReadAsync(late, shareId)).GetProperty("reflections").EnumerateArray().Select(r => r.GetProperty("text").GetString()));
        Assert.Equal(["Before anyone left", "After Ash came"], (await ReadAsync(owner, shareId)).GetProperty("reflections").EnumerateArray().Select(r => r.GetProperty("text").GetString()));
    }
}
