using Attune.Features.Activations;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>Reactions on a phone-sized screen: quick logging, the in-the-moment flow, insights and the report.</summary>
public sealed class ActivationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task OnAPhone_ReactionsAreLogged_TheMomentIsWalked_AndInsightsAndTheReportFollow()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person, acceptDownloads: true, phone: true);

        // Quick capture: what happened, how strong, a feeling and an age.
        await page.GotoAsync("/activations");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Log a reaction" }).ClickAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("What happened?").FillAsync("Group chat went silent after my message");
        await page.GetByRole(AriaRole.Group, new() { Name = "How strong was it?" }).GetByRole(AriaRole.Radio, new() { Name = "6", Exact = true }).CheckAsync();
        await page.GetByText("anxious", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("How old did you feel?").SelectOptionAsync("12");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Logged");
        await Assertions.Expect(page.GetByText("Group chat went silent after my message")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Something that might help" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(page);

        // In the moment, from the bar at the top of every page, one step at a time.
        await page.GetByRole(AriaRole.Link, new() { Name = "In the moment" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pause and breathe" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Name it" })).ToBeHiddenAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "I've paused. Next" }).ClickAsync();
        await Assertions.Expect(page.Locator("#step-name")).ToBeFocusedAsync();
        var nameStep = page.Locator("[data-step='name']");
        await nameStep.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(nameStep.GetByRole(AriaRole.Alert)).ToContainTextAsync("a few words");
        await page.GetByLabel("In a few words, what's happening?").FillAsync("Boss said we need to talk");
        await nameStep.GetByRole(AriaRole.Radio, new() { Name = "8", Exact = true }).CheckAsync();
        await nameStep.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.Locator("#step-age")).ToBeFocusedAsync();
        await page.Locator("[data-step='age']").GetByRole(AriaRole.Radio, new() { Name = "9", Exact = true }).CheckAsync();
        await page.Locator("[data-step='age']").GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByText("comfort", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("A harsh inner critic").CheckAsync();
        await page.Locator("[data-step='need']").GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        var phrase = await page.Locator("[data-reassurance-text]").InnerTextAsync();
        Assert.Contains(phrase.Trim(), new MomentContent().Reassurance["critic"]);
        await page.Locator("[data-step='reassure']").GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.Locator("#step-choose")).ToBeFocusedAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Write to my younger self" }).ClickAsync();
        await page.ArrivedAsync("**/journal/new/letter?activation=*");
        await Assertions.Expect(page.GetByLabel("How old is your younger self in this letter?")).ToHaveValueAsync("9");

        // Insights: the numbers in words, charts, and the same numbers as tables.
        await page.GotoAsync("/insights?range=4w");
        await Assertions.Expect(page.GetByText("You logged 2 reactions in the last 4 weeks, with an average intensity of 7.0 out of 10.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Reactions by pattern: A harsh inner critic 1." })).ToBeVisibleAsync();
        var patterns = page.Locator("figure").Filter(new() { HasText = "Reactions by pattern" });
        await patterns.GetByText("Show as a table").ClickAsync();
        await Assertions.Expect(patterns.GetByRole(AriaRole.Row, new() { Name = "A harsh inner critic 1 8.0" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(page);

        // The report, as a page and as a PDF.
        await page.GetByRole(AriaRole.Link, new() { Name = "Progress report" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your journey" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download as PDF" }).ClickAsync());
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path!);
        Assert.Contains("You logged 2 reactions", PdfText.Extract(bytes));
        await context.CloseAsync();
    }
}
