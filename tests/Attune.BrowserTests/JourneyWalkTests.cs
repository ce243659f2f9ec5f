using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// A newcomer walks phase 1 in the browser, is stopped kindly at the gate with the reason, opens
/// phase 2 by doing what it asks, and sees check-in history charted; and PHQ-9 item 9 leads to
/// crisis lines and the safety plan.
/// </summary>
public sealed class JourneyWalkTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag = new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } };

    private static async Task AxeAsync(IPage page)
    {
        var result = await page.RunAxe(Wcag);
        Assert.True(result.Violations.Length == 0, page.Url + "\n" + string.Join("\n", result.Violations.Select(v => v.Id + ": " + v.Help)));
    }

    private async Task<(IBrowserContext, IPage)> SignedInAsync()
    {
        var person = await fixture.App.RegisterAsync("Jo");
        var context = await fixture.NewContextAsync(new() { BaseURL = fixture.App.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("Email").FillAsync(person.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(person.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Jo" })).ToBeVisibleAsync();
        return (context, page);
    }

    private static async Task DoPracticeAsync(IPage page, string title)
    {
        await page.GotoAsync("/journey");
        await page.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await page.Locator("#sudsBefore-3").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await page.ArrivedAsync("**/practices/sessions/**");
        var next = page.GetByRole(AriaRole.Button, new() { Name = "Next step" });
        while (await next.IsVisibleAsync()) await next.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish up" }).ClickAsync();
        await page.Locator("#sudsAfter-2").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Finish", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for staying with this" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to your journey" }).ClickAsync();
        await page.ArrivedAsync("**/journey");
    }

    [BrowserFact]
    public async Task Phase1_ToTheGate_ThenPhase2Opens_AndCheckInsAreCharted()
    {
        var (context, page) = await SignedInAsync();
        await page.GotoAsync("/journey");
        await AxeAsync(page);
        await Assertions.Expect(page.Locator("#phase-2 + p + p.notice")).ToContainTextAsync("complete 3 practices from part 1 (you have completed 0)");

        foreach (var title in new[] { "Build your grounding kit", "Find your safe place", "Things that help me" })
            await DoPracticeAsync(page, title);

        var gate = page.Locator("#phase-2 + p + p.notice");
        await Assertions.Expect(gate).ToContainTextAsync("add at least one person you can ask for help");
        await Assertions.Expect(gate).Not.ToContainTextAsync("practices from part 1");

        await page.GetByRole(AriaRole.Link, new() { Name = "Work on your safety plan" }).ClickAsync();
        await AxeAsync(page);
        await page.GetByLabel("People I can ask for help").FillAsync("Sam");
        await page.GetByLabel("Things I can do on my own").FillAsync("walk\nmusic\nshower");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my plan" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your safety plan is saved");

        await page.GotoAsync("/journey");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Meet your younger self" })).ToBeVisibleAsync();

        for (var round = 0; round < 2; round++)
        {
            await page.GotoAsync("/check-ins/gad7");
            for (var i = 0; i < 7; i++) await page.Locator($"#q{i}-{(round == 0 ? 2 : 1)}").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "See my result" }).ClickAsync();
            await Assertions.Expect(page.GetByText("not a diagnosis")).ToBeVisibleAsync();
        }
        await AxeAsync(page);
        await page.GotoAsync("/check-ins");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "GAD-7 scores over time" })).ToBeVisibleAsync();
        await AxeAsync(page);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task Phq9_Item9AboveZero_ShowsCrisisLinesAndTheSafetyPlan()
    {
        var (context, page) = await SignedInAsync();
        await page.GotoAsync("/check-ins/phq9");
        await AxeAsync(page);
        for (var i = 0; i < 9; i++) await page.Locator($"#q{i}-{(i == 8 ? 1 : 0)}").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "See my result" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you for telling us how it really is" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Only you. Nobody has been told about it", new() { Exact = false })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open my safety plan" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Find A Helpline").First).ToBeVisibleAsync();
        await AxeAsync(page);
        await context.CloseAsync();
    }
}
