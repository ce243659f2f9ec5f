using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// Issue 24, icons in Chromium: the phone's bottom bar shows an icon above each word, drawn from the
/// sprite (the symbol loaded, not an empty box), in the text's colour; the wide top bar keeps to
/// words; an entry's kind and actions carry theirs; axe stays clean in both themes.
/// </summary>
public sealed class IconTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [BrowserFact(LooksOnly = true)]
    public async Task TheBottomBar_ShowsAnIconAboveEachWord_DrawnFromTheSprite_AndTheWideBarKeepsToWords()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Wren");
        var created = await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "Rain on the roof", text = "It sounded like being small and safe." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entry = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var options = BrowserFixture.Phone(app.BaseUrl);
            options.ColorScheme = scheme;
            var context = await fixture.NewContextAsync(options);
            var page = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(page, person.Email, person.Password);
            var bar = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
            foreach (var tab in new[] { "Today", "Journal", "Circle" })
            {
                var link = bar.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true });
                await AssertIconAboveWordAsync(link);
            }
            await AssertIconAboveWordAsync(bar.Locator("summary"));
            await Assertions.Expect(bar.GetByRole(AriaRole.Link, new() { Name = "Today", Exact = true })).ToHaveAttributeAsync("aria-current", "page");

            await page.GotoAsync($"/journal/{entry}");
            foreach (var action in new[] { "Edit", "Share with someone…" })
                Assert.True(await IconDrawnAsync(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = action }).Locator("svg.icon")));
            Assert.True(await IconDrawnAsync(page.Locator("article .kind svg.icon")));
            await Screenshots.TakeAsync(page, $"icons-phone-{(scheme == ColorScheme.Dark ? "dark" : "light")}-entry");
            await Accessibility.AssertAsync(page);
            await context.CloseAsync();
        }

        // Wide: the same links, words alone.
        var wide = await fixture.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1366, Height = 900 } });
        var desk = await wide.NewPageAsync();
        await BrowserFixture.SignInAsync(desk, person.Email, person.Password);
        await Assertions.Expect(desk.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Journal", Exact = true }).Locator("svg.icon")).ToBeHiddenAsync();
        await wide.CloseAsync();
    }

    /// <summary>The tab's icon is drawn (its symbol loaded), in the tab's text colour, centred above its word.</summary>
    private static async Task AssertIconAboveWordAsync(ILocator tab)
    {
        var icon = tab.Locator("svg.icon");
        Assert.True(await IconDrawnAsync(icon), "The icon's symbol did not load from the sprite.");
        var box = (await icon.BoundingBoxAsync())!;
        var word = (await tab.Locator("span:visible").First.BoundingBoxAsync())!;
        Assert.True(box.Width >= 20 && box.Height >= 20, $"The icon is {box.Width}×{box.Height}.");
        Assert.True(box.Y + box.Height <= word.Y + 1, "The icon is not above its word.");
        Assert.True(Math.Abs(box.X + box.Width / 2 - (word.X + word.Width / 2)) < 2, "The icon is not centred over its word.");
        Assert.Equal(await tab.EvaluateAsync<string>("t => getComputedStyle(t).color"), await icon.EvaluateAsync<string>("i => getComputedStyle(i).stroke"));
    }

    /// <summary>Whether the icon's &lt;use&gt; drew something: an unloaded or missing symbol has an empty box.</summary>
    private static Task<bool> IconDrawnAsync(ILocator icon) =>
        icon.EvaluateAsync<bool>("async i => { for (let n = 0; n < 50; n++) { const b = i.querySelector('use').getBBox(); if (b.width > 0 && b.height > 0) return true; await new Promise(r => setTimeout(r, 100)); } return false; }");
}
