using System.Text.RegularExpressions;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>The journal in a real browser: nothing lost offline, every kind's editor, search, export and delete.</summary>
public sealed partial class JournalTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex("Draft saved|Saved")]
    private static partial Regex SavedText();

    private static ILocator Status(IPage page) => page.Locator("[data-save-status]");

    [BrowserFact]
    public async Task CuttingTheNetworkMidEntry_LosesNoWord()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person, acceptDownloads: true);
        await page.GotoAsync("/journal/new/free");
        await Accessibility.AssertAsync(page);
        const string before = "The first words, written while online.";
        const string offline = " More words, typed while the network was gone.";
        await page.GetByLabel("Write whatever is here for you").FillAsync(before);
        await Assertions.Expect(Status(page)).ToContainTextAsync("Draft saved");
        await page.ArrivedAsync("**/journal/*/edit");

        await context.SetOfflineAsync(true);
        await page.GetByLabel("Write whatever is here for you").PressSequentiallyAsync(offline);
        await page.GetByLabel("Title").FillAsync("Written through a storm");
        await Assertions.Expect(Status(page)).ToContainTextAsync("will retry");

        await context.SetOfflineAsync(false);
        await Assertions.Expect(Status(page)).ToContainTextAsync("Draft saved");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("Write whatever is here for you")).ToHaveValueAsync(before + offline);
        await Assertions.Expect(page.GetByLabel("Title")).ToHaveValueAsync("Written through a storm");

        // Opening a new free entry offers to continue the unfinished draft.
        await page.GotoAsync("/journal/new/free");
        await Assertions.Expect(page.GetByText("You have an unfinished free writing")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue it" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Title")).ToHaveValueAsync("Written through a storm");
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task ADialogue_TakesTurnsByKeyboard_ReordersThem_AndReadsAsAConversation()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person, acceptDownloads: true);
        await page.GotoAsync("/journal/new/dialogue");
        await page.GetByLabel("How old is your younger self").FillAsync("6");
        await page.Locator("#turn-0").FillAsync("I'm here now, and I'm listening.");
        await page.Locator("#turn-0").PressAsync("Control+Enter");
        await Assertions.Expect(page.Locator("#turn-1")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("label[for='turn-1']")).ToHaveTextAsync("Me at 6");
        await page.Locator("#turn-1").PressSequentiallyAsync("Are you staying?");
        await page.Locator("#turn-1").PressAsync("Alt+ArrowUp");
        await Assertions.Expect(page.Locator("#turn-0")).ToHaveValueAsync("Are you staying?");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await page.ArrivedAsync(new Regex("/journal/[0-9a-f-]{36}$"));
        var bubbles = page.Locator(".conversation li");
        await Assertions.Expect(bubbles).ToHaveCountAsync(2);
        await Assertions.Expect(bubbles.Nth(0)).ToContainTextAsync("Me at 6");
        await Assertions.Expect(bubbles.Nth(0)).ToContainTextAsync("Are you staying?");
        await Assertions.Expect(bubbles.Nth(1)).ToContainTextAsync("Me now");
        await Accessibility.AssertAsync(page);

        // Found by search, then edited, then deleted.
        await page.GotoAsync("/journal?q=staying");
        await Assertions.Expect(page.Locator(".entry-list li")).ToHaveCountAsync(1);
        await page.Locator(".entry-list a").First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Will you stay");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Will you stay", Level = 1 })).ToBeVisibleAsync();
        await page.GetByText("Delete…").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete it" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The entry is deleted.")).ToBeVisibleAsync();
        await page.GotoAsync("/journal?q=staying");
        await Assertions.Expect(page.Locator(".entry-list li")).ToHaveCountAsync(0);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task TheBodyMap_IsUsableByKeyboard_AndShowsIntensityAfterwards()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person, acceptDownloads: true);
        await page.GotoAsync("/journal/new/body");
        var chest = page.GetByRole(AriaRole.Button, new() { Name = "Chest", Exact = true });
        await chest.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(chest).ToHaveAttributeAsync("aria-pressed", "true");
        var card = page.Locator(".body-region-card").First;
        // By keyboard, as the test's name says: the chip's label lies over its box for a tap.
        var tight = card.GetByLabel("tight", new() { Exact = true });
        await tight.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(tight).ToBeCheckedAsync();
        await card.GetByLabel("Your own words").FillAsync("like a fist");
        await card.GetByLabel("How strong is it?").FillAsync("8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Left hand (front)" }).ClickAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await page.ArrivedAsync(new Regex("/journal/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("Chest");
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("tight, like a fist");
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("8");
        await Assertions.Expect(page.Locator(".body-map .marked")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".body-map .marked[data-intensity='8']")).ToHaveCountAsync(1);
        await Accessibility.AssertAsync(page);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task ADrawing_IsDrawnUndoneRedone_SavedAsAPng_AndExported()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person, acceptDownloads: true);
        await page.GotoAsync("/journal/new/drawing");
        await Accessibility.AssertAsync(page);
        async Task StrokeAsync(float y)
        {
            // Choosing a colour may scroll the page: measure the canvas where it is now.
            await page.Locator("canvas").ScrollIntoViewIfNeededAsync();
            var box = (await page.Locator("canvas").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(box.X + 40, box.Y + y);
            await page.Mouse.DownAsync();
            for (var x = 40; x < 300; x += 20) await page.Mouse.MoveAsync(box.X + x, box.Y + y + x / 10f);
            await page.Mouse.UpAsync();
        }
        await StrokeAsync(60);
        await page.GetByLabel("Sea").CheckAsync();
        await StrokeAsync(140);
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Redo" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Two waves");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await page.ArrivedAsync(new Regex("/journal/[0-9a-f-]{36}$"));
        var image = page.Locator("img.entry-image");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('img.entry-image'); return i && i.complete && i.naturalWidth > 0; }");
        Assert.Equal(1000, await image.EvaluateAsync<int>("img => img.naturalWidth"));
        // The sea-coloured stroke survived undo and redo.
        var seaPixels = await page.EvaluateAsync<int>("""
            async () => {
              const img = document.querySelector('img.entry-image');
              const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
              const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
              const d = ctx.getImageData(0, 0, c.width, c.height).data; let n = 0;
              for (let i = 0; i < d.length; i += 4) if (d[i] === 0x3f && d[i+1] === 0x8f && d[i+2] === 0x8a) n++;
              return n;
            }
            """);
        Assert.True(seaPixels > 100, $"{seaPixels} sea-coloured pixels; " + await page.EvaluateAsync<string>("""
            async () => {
              const img = document.querySelector('img.entry-image');
              const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
              const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
              const d = ctx.getImageData(0, 0, c.width, c.height).data; const seen = {};
              for (let i = 0; i < d.length; i += 4) { const k = d[i] + ',' + d[i+1] + ',' + d[i+2]; seen[k] = (seen[k] || 0) + 1; }
              return JSON.stringify(Object.entries(seen).sort((a, b) => b[1] - a[1]).slice(0, 6));
            }
            """));

        await page.GotoAsync("/journal/export");
        await Accessibility.AssertAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Text files, one per entry (.zip)" }).ClickAsync());
        Assert.Equal("attune-journal.zip", download.SuggestedFilename);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task AMemoryCanBeParked_ShowsOnTheTimeline_AndCrisisWordsOfferHelpOnce()
    {
        var person = await fixture.App.RegisterAsync();
        var (context, page) = await fixture.SignedInAsync(person, acceptDownloads: true);
        await page.GotoAsync("/journal/new/memory");
        await Assertions.Expect(page.GetByText("Heavy memories are often better explored with a therapist")).ToBeVisibleAsync();
        await page.GetByLabel("How old were you?").FillAsync("9");
        await page.GetByLabel("What happened, in brief").FillAsync("The day we moved house.");
        await page.GetByLabel("What do you know now?").FillAsync("It wasn't my job to keep everyone happy.");
        await page.GetByLabel("Park this memory").CheckAsync();
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await page.ArrivedAsync(new Regex("/journal/[0-9a-f-]{36}$"));
        await page.GotoAsync("/journal/timeline");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Age 9" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".timeline .badge")).ToHaveTextAsync("Parked");
        await Accessibility.AssertAsync(page);

        await page.GotoAsync("/journal/new/letter");
        await page.GetByLabel("From my younger self, to me now").CheckAsync();
        await page.GetByLabel("Your letter", new() { Exact = true }).FillAsync("Dear grown-up me, some days I want to die and nobody notices.");
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "You don't have to hold this alone" });
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Link, new() { Name = "Open my safety plan" })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(page);

        // A photo of a handwritten letter: redrawn in the browser as a JPEG, kept with the letter.
        await page.GetByText("Writing by hand instead?").ClickAsync();
        await page.GetByLabel("Photo of your letter").SetInputFilesAsync(new FilePayload { Name = "letter.png", MimeType = "image/png", Buffer = TestImages.Png(300, 200) });
        await Assertions.Expect(page.Locator("[data-photo-preview] img")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
        await page.ArrivedAsync(new Regex("/journal/[0-9a-f-]{36}$"));
        var photo = page.GetByRole(AriaRole.Img, new() { Name = "Photo of my handwritten letter" });
        await Assertions.Expect(photo).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('img.entry-image'); return i && i.complete && i.naturalWidth > 0; }");
        Assert.Equal(300, await photo.EvaluateAsync<int>("img => img.naturalWidth"));
        await context.CloseAsync();
    }
}
