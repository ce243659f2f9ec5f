using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Groups;
using Attune.Tests.Support;

namespace Attune.Tests.Assessments;

/// <summary>
/// The check-ins page is kept briefly per person, charts drawn: opened again it reads nothing, yet a
/// check-in the person takes (on the page or through the API) shows at once, and their results are
/// never shown to anyone else.
/// </summary>
public sealed class CheckInsSnapshotTests(CountingApp app) : IClassFixture<CountingApp>
{
    [Fact]
    public async Task KeptCheckIns_ReadNothing_AndTheirOwnNewResultShowsAtOnce_ButNeverToSomeoneElse()
    {
        var person = await app.RegisterAsync("Kept Check-ins");
        var other = await app.RegisterAsync("Other Check-ins");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }), HttpStatusCode.Created);
        using var pages = await app.SignInPagesAsync(person.Email);
        var first = await pages.GetPageAsync("/check-ins");
        Assert.Contains("7 (", first, StringComparison.Ordinal);
        Assert.True(await app.LastQueriesAsync("/check-ins") >= 1);

        Assert.Equal(first.Split("<tr>").Length, (await pages.GetPageAsync("/check-ins")).Split("<tr>").Length);
        // Gathered afresh the page is one query, so kept it must be none (the session was checked at sign-in, moments ago).
        Assert.Equal(0, await app.LastQueriesAsync("/check-ins"));

        // Their own new result drops the copy: a second row in GAD-7's table, at once.
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 3, 3, 3, 3, 3, 3, 3 } }), HttpStatusCode.Created);
        var after = await pages.GetPageAsync("/check-ins");
        Assert.Contains("21 (", after, StringComparison.Ordinal);
        Assert.Equal(first.Split("<tr>").Length + 1, after.Split("<tr>").Length);

        using var otherPages = await app.SignInPagesAsync(other.Email);
        var theirs = await otherPages.GetPageAsync("/check-ins");
        Assert.DoesNotContain("21 (", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("Show the numbers", theirs, StringComparison.Ordinal);
    }
}
