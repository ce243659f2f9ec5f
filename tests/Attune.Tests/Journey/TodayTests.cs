using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Journey;

public sealed class TodayTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task ANewPerson_SeesPartOne_ANextStep_AndAGentleNudgeTowardTheirSafetyPlan()
    {
        var person = await app.RegisterAsync("Ivy");
        using var pages = await app.SignInPagesAsync(person.Email);
        var html = await pages.GetPageAsync("/");
        Assert.Contains("Hello, Ivy", html, StringComparison.Ordinal);
        Assert.Contains("Part 1: <strong>Safety and patterns</strong>", html, StringComparison.Ordinal);
        Assert.Contains("A good next step:", html, StringComparison.Ordinal);
        Assert.Contains("A safety plan is a good first step", html, StringComparison.Ordinal);
        Assert.Contains("No check-ins yet", html, StringComparison.Ordinal);
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
