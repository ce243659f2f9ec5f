using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>Grounding one tap away, and quick exit by button or by Escape three times.</summary>
public sealed class SafetyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Neutral = "https://www.bbc.com/weather";

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new();
        options.BaseURL = fixture.App.BaseUrl;
        var context = await fixture.NewContextAsync(options);
        // No network here: answer the neutral site ourselves so the test can see where quick exit went.
        await context.RouteAsync("https://www.bbc.com/**", route => route.FulfillAsync(new() { Body = "<title>Weather</title>weather", ContentType = "text/html" }));
        return (context, await context.NewPageAsync());
    }

    [BrowserFact]
    public async Task EscapeThreeTimes_LeavesForANeutralSite_AndBackDoesNotReturnToAttune()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync("/privacy");
        await page.GotoAsync("/account/sign-in");
        // The shortcut listens once the page's script has run; under CI load that can trail the load event Playwright saw.
        await page.Locator("html[data-quick-exit='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        // Three quick presses, as a person would make them: sent back to back (the protocol keeps
        // their order), so a slow machine can't spread them past the two-second window.
        var presses = Task.WhenAll(page.Keyboard.PressAsync("Escape"), page.Keyboard.PressAsync("Escape"), page.Keyboard.PressAsync("Escape"));
        await Assertions.Expect(page).ToHaveURLAsync(Neutral); // leaving is what matters, not how fast the other site loads
        await presses;
        // Back reaches the page before, which leaves again before it shows anything. Its leaving can
        // start before Back has returned, so the address is polled (not one navigation awaited).
        await page.GoBackAsync(new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page).ToHaveURLAsync(Neutral);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task QuickExitButton_LeavesForANeutralSite()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Quick exit" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Neutral); // leaving is what matters, not how fast the other site loads
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task Grounding_IsOneTapFromSignIn_AndBreathingStaysStillWhenMotionIsReduced()
    {
        var (context, page) = await OpenAsync(new() { ReducedMotion = ReducedMotion.Reduce });
        await page.GotoAsync("/account/sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Grounding" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Grounding", Exact = true })).ToBeVisibleAsync();
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => v.Id + ": " + v.Help)));

        await page.GetByRole(AriaRole.Button, new() { Name = "Start breathing with me" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-breath-cue]")).ToContainTextAsync("Breathe in");
        var transform = await page.Locator(".breath-circle").EvaluateAsync<string>("e => getComputedStyle(e).transform");
        Assert.Equal("none", transform);
        await context.CloseAsync();
    }
}
