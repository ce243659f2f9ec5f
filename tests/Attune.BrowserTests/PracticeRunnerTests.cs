using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>The practice runner in a real browser: autosave survives closing the tab, and rising distress pauses the steps.</summary>
public sealed class PracticeRunnerTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag = new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } };

    private static async Task StartAsync(IPage page, string slug, int suds)
    {
        await page.GotoAsync($"/practices/{slug}");
        await page.Locator($"#sudsBefore-{suds}").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await page.ArrivedAsync("**/practices/sessions/**");
    }

    [BrowserFact]
    public async Task AnAnswerTypedThenTheTabClosed_IsThereOnReturn()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person);
        await StartAsync(page, "noticing-patterns", 2);
        var axe = await page.RunAxe(Wcag);
        Assert.True(axe.Violations.Length == 0, string.Join("\n", axe.Violations.Select(v => v.Id + ": " + v.Help)));

        Assert.Equal("Step 1 of 4", await page.Locator("[data-step]:not([hidden]) h2").InnerTextAsync());
        await page.GetByLabel("What happened?").FillAsync("A friend didn't answer my message all day.");
        await Assertions.Expect(page.Locator("[data-save-status]")).ToHaveTextAsync("Saved");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next step" }).ClickAsync();
        await page.GetByLabel("What did you feel, and where?").FillAsync("A knot in my stomach");
        var url = page.Url;
        await page.CloseAsync(new() { RunBeforeUnload = true });

        // The closing tab hands its last save to the browser (keepalive), which may deliver it a moment
        // after this new page asks; a person coming back takes longer than that.
        var again = await context.NewPageAsync();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await again.GotoAsync(url);
            if (await again.GetByLabel("What did you feel, and where?").InputValueAsync() != "") break;
            await Task.Delay(250);
        }
        await Assertions.Expect(again.GetByLabel("What happened?")).ToHaveValueAsync("A friend didn't answer my message all day.");
        await Assertions.Expect(again.GetByLabel("What did you feel, and where?")).ToHaveValueAsync("A knot in my stomach");
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task RisingDistress_HidesTheNextStep_AndOffersGroundingAPauseOrReachingOut()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person);
        await StartAsync(page, "safe-place", 1);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next step" })).ToBeVisibleAsync();

        await page.Locator("#sudsNow-5").CheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Let's pause here" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next step" })).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-support-reason]")).ToContainTextAsync("from 1 to 5");

        await page.GetByRole(AriaRole.Button, new() { Name = "Take a pause" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-choice-result]")).ToContainTextAsync("Your answers are saved");

        await page.Locator("#sudsNow-2").CheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next step" })).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task PacedSteps_CanBeReadAloudSlowly_WithPauseAndStop_AndHaveATimer()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person);
        // Record what would be spoken, instead of speaking it.
        await context.AddInitScriptAsync(@"
            window.__speech = { spoken: [], paused: 0, cancelled: 0 };
            Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
                paused: false,
                speak(u) { window.__speech.spoken.push({ text: u.text, rate: u.rate }); },
                pause() { this.paused = true; window.__speech.paused++; },
                resume() { this.paused = false; },
                cancel() { window.__speech.cancelled++; },
            } });");
        await StartAsync(page, "safe-place", 2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Read this step aloud" }).ClickAsync();
        Assert.Equal(0.8, await page.EvaluateAsync<double>("window.__speech.spoken[0].rate"), 3);
        Assert.StartsWith("Sit somewhere comfortable", await page.EvaluateAsync<string>("window.__speech.spoken[0].text"), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause reading" }).ClickAsync();
        Assert.Equal(1, await page.EvaluateAsync<int>("window.__speech.paused"));
        var cancelledBefore = await page.EvaluateAsync<int>("window.__speech.cancelled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop reading" }).ClickAsync();
        Assert.True(await page.EvaluateAsync<int>("window.__speech.cancelled") > cancelledBefore);

        await page.GetByRole(AriaRole.Button, new() { Name = "Give me 30 seconds" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-step]:not([hidden]) [data-timer-left]")).ToContainTextAsync("seconds");
        await context.CloseAsync();
    }
}
