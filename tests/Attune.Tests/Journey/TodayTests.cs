using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Journey;

public sealed class TodayTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task ANewPerson_IsWelcomed_WithCountryFromTheirLanguage_AndHasOneFirstStep()
    {
        var person = await app.RegisterAsync("Ivy");
        using var pages = await app.SignInPagesAsync(person.Email);
        pages.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-NZ, en;q=0.8");
        var html = await pages.GetPageAsync("/");
        Assert.Contains("Hello, Ivy", html, StringComparison.Ordinal);
        Assert.Contains("Welcome to Attune", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"NZ\" selected=\"selected\">New Zealand</option>", html, StringComparison.Ordinal);
        Assert.Contains("Part 1: <strong>Safety and patterns</strong>", html, StringComparison.Ordinal);
        // One first step, and nothing competing with it.
        Assert.Contains("Your first step", html, StringComparison.Ordinal);
        Assert.DoesNotContain("A good next step", html, StringComparison.Ordinal);
        Assert.DoesNotContain("A safety plan is a good first step", html, StringComparison.Ordinal);
        Assert.Contains("No check-ins yet", html, StringComparison.Ordinal);

        var welcome = await pages.PostFormAsync("/?handler=Welcome", new() { ["country"] = "NZ", ["timeZone"] = "Pacific/Auckland" }, "/");
        Assert.Equal(HttpStatusCode.Redirect, welcome.StatusCode);
        var me = await person.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me");
        Assert.Equal("NZ", me.GetProperty("country").GetString());
        Assert.Equal("Pacific/Auckland", me.GetProperty("timeZone").GetString());
        var after = await pages.GetPageAsync("/");
        Assert.DoesNotContain("Welcome to Attune", after, StringComparison.Ordinal);
        Assert.Contains("Crisis lines for New Zealand", after, StringComparison.Ordinal);

        // A made-up zone or country is turned down, and nothing is saved.
        var bad = await pages.PostFormAsync("/?handler=Welcome", new() { ["country"] = "XX", ["timeZone"] = "Mars/Base" }, "/");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Please choose your country and time zone from the lists.", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("NZ", (await person.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me")).GetProperty("country").GetString());
    }

    [Fact]
    public async Task Today_ShowsTheCheckInTrend_AndAnUnfinishedPracticeToCarryOn()
    {
        var person = await app.RegisterAsync();
        await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 2, 2, 2, 2, 2, 0, 0, 0, 0 } });
        await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 1, 1, 0, 0, 0, 0 } });
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/practices/body-signals/sessions", new { sudsBefore = 3 }), HttpStatusCode.Created);
        using var pages = await app.SignInPagesAsync(person.Email);
        var html = await pages.GetPageAsync("/");
        Assert.Contains("Mood check-in (PHQ-9): 5 of 27 (mild)", html, StringComparison.Ordinal);
        Assert.Contains("lower than the time before (10)", html, StringComparison.Ordinal);
        Assert.Contains("Carry on where you left off", html, StringComparison.Ordinal);
        Assert.Contains("Listen to your body", html, StringComparison.Ordinal);
    }
}
