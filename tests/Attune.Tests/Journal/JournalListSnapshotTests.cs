using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Groups;
using Attune.Tests.Support;

namespace Attune.Tests.Journal;

/// <summary>
/// The journal's opening list is kept briefly per person: opened again it reads nothing, yet the
/// person's own new, changed or deleted entry shows at once, a search is never answered from the
/// copy, and one person's list is never another's.
/// </summary>
public sealed class JournalListSnapshotTests(CountingApp app) : IClassFixture<CountingApp>
{
    [Fact]
    public async Task TheKeptList_ReadsNothing_AndTheirOwnChangesShowAtOnce_ButNeverToSomeoneElse()
    {
        var person = await app.RegisterAsync("Kept Journal");
        var other = await app.RegisterAsync("Other Journal");
        var created = await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "Kettle morning", text = "The kettle sang." }), HttpStatusCode.Created);
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetString();
        using var pages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("Kettle morning", await pages.GetPageAsync("/journal"), StringComparison.Ordinal);
        Assert.True(await app.LastQueriesAsync("/journal") >= 2);

        Assert.Contains("Kettle morning", await pages.GetPageAsync("/journal"), StringComparison.Ordinal);
        Assert.Equal(0, await app.LastQueriesAsync("/journal")); // the session was checked at sign-in, moments ago

        // A search reads afresh, and so does the list after their own change.
        Assert.Contains("1 entry matches", await pages.GetPageAsync("/journal?q=kettle"), StringComparison.Ordinal);
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/journal/{id}", new { kind = "free", title = "Quiet evening", text = "The kettle rested." }), HttpStatusCode.OK);
        var changed = await pages.GetPageAsync("/journal");
        Assert.Contains("Quiet evening", changed, StringComparison.Ordinal);
        Assert.DoesNotContain("Kettle morning", changed, StringComparison.Ordinal);
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/journal/{id}"), HttpStatusCode.NoContent);
        Assert.DoesNotContain("Quiet evening", await pages.GetPageAsync("/journal"), StringComparison.Ordinal);

        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "Mine alone", text = "Only mine." }), HttpStatusCode.Created);
        Assert.Contains("Mine alone", await pages.GetPageAsync("/journal"), StringComparison.Ordinal);
        using var otherPages = await app.SignInPagesAsync(other.Email);
        Assert.DoesNotContain("Mine alone", await otherPages.GetPageAsync("/journal"), StringComparison.Ordinal);
    }
}
