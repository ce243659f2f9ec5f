using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Home;

/// <summary>The app with its database commands in the captured log, so a test can count them.</summary>
public sealed class CountingApp() : AttuneApp(new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information" });

/// <summary>Today's people: what each person sees, and that it costs the same few queries however many people there are.</summary>
public sealed class TodayPeopleTests(CountingApp app) : IClassFixture<CountingApp>
{
    /// <summary>
    /// Database commands one request to Today makes when it gathers the page afresh (the second of two,
    /// so the other caches are warm as they usually are; the person's kept copy of Today is forgotten first).
    /// </summary>
    private async Task<int> TodayCommandsAsync(PagesClient pages, Person person)
    {
        await pages.GetPageAsync("/");
        app.Service<Attune.Infrastructure.PersonSnapshots>().ForgetHere(person.Id);
        var before = app.Logs.Lines.Count;
        await pages.GetPageAsync("/");
        // The job worker polls on its own clock; its reads are not Today's.
        return app.Logs.Lines.Skip(before).Count(l => l.Contains("Executed DbCommand", StringComparison.Ordinal) && !l.Contains("\"Jobs\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TodayShowsThePeople_AndItsQueriesDoNotGrowWithThem()
    {
        var alone = await app.RegisterAsync("Alone");
        await alone.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "x" });
        using var alonePages = await app.SignInPagesAsync(alone.Email);
        var few = await TodayCommandsAsync(alonePages, alone);

        var busy = await app.RegisterAsync("Busy");
        var names = new[] { "Ash", "Bo", "Cy" };
        foreach (var name in names)
        {
            var supporter = await app.RegisterAsync(name + " Person");
            await Circles.JoinAsync(app, busy, supporter, name);
            var entry = JsonDocument.Parse(await Expect.StatusAsync(await busy.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "to share" }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
            var share = JsonDocument.Parse(await Expect.StatusAsync(await busy.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entry, withUserId = supporter.Id }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
            await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/shares/{share}/witness", new { text = "I hear you" }), HttpStatusCode.Created);
        }
        foreach (var name in new[] { "Dee", "Eli" })
        {
            var supported = await app.RegisterAsync(name);
            await Circles.JoinAsync(app, supported, busy, "Busy");
            await Expect.StatusAsync(await supported.Api.PostAsJsonAsync("/api/v1/reaches", new { urgency = "today" }), HttpStatusCode.Created);
        }
        using var busyPages = await app.SignInPagesAsync(busy.Email);
        var html = await busyPages.GetPageAsync("/");
        Assert.Contains("In your circle: Ash, Bo and Cy.", html, StringComparison.Ordinal);
        Assert.Contains("Dee reached out", html, StringComparison.Ordinal);
        Assert.Contains("Eli reached out", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("wrote back about a journal entry you shared").Length - 1);
        Assert.Contains("You support Dee and Eli.", html, StringComparison.Ordinal);

        var many = await TodayCommandsAsync(busyPages, busy);
        Assert.True(many == few, $"Today made {few} database commands for a person alone and {many} for one with three supporters, two people they support, reaches and reflections");
    }
}
