using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Groups;
using Attune.Tests.Support;

namespace Attune.Tests.Activations;

/// <summary>
/// Insights over a named range is kept briefly per person: opened again it reads nothing, yet the
/// person's own new reaction shows at once, and one person's kept insights are never another's.
/// </summary>
public sealed class InsightsSnapshotTests(CountingApp app) : IClassFixture<CountingApp>
{
    [Fact]
    public async Task KeptInsights_ReadNothing_AndTheirOwnNewReactionShowsAtOnce_ButAnotherRangeOrPersonIsGatheredAfresh()
    {
        var person = await app.RegisterAsync("Kept Insights");
        var other = await app.RegisterAsync("Other Insights");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { situation = "A door slammed", intensity = 6 }), HttpStatusCode.Created);
        using var pages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("You logged 1 reaction", await pages.GetPageAsync("/insights?range=4w"), StringComparison.Ordinal);

        Assert.True(await app.LastQueriesAsync("/insights") >= 3);
        Assert.Contains("You logged 1 reaction", await pages.GetPageAsync("/insights?range=4w"), StringComparison.Ordinal);
        Assert.True(await app.LastQueriesAsync("/insights") <= 1, "Kept insights read the database (beyond, at most, a lapsed session check).");

        // Another range is gathered on its own.
        await pages.GetPageAsync("/insights?range=1y");
        Assert.True(await app.LastQueriesAsync("/insights") >= 3);

        // Their own write drops the copy (here through the API, as a phone app would).
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { situation = "A raised voice", intensity = 4 }), HttpStatusCode.Created);
        Assert.Contains("You logged 2 reactions", await pages.GetPageAsync("/insights?range=4w"), StringComparison.Ordinal);

        // Someone else's insights are their own.
        using var otherPages = await app.SignInPagesAsync(other.Email);
        Assert.DoesNotContain("You logged", await otherPages.GetPageAsync("/insights?range=4w"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllTime_BeginsAtTheFirstReaction_NotTenYearsBack()
    {
        var person = await app.RegisterAsync("All Time");
        var at = DateTimeOffset.UtcNow.AddDays(-40);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { occurredAt = at, situation = "An old echo", intensity = 5 }), HttpStatusCode.Created);
        var all = await person.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/insights/activations?range=all");
        Assert.Equal(DateOnly.FromDateTime(at.UtcDateTime), DateOnly.Parse(all.GetProperty("from").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
