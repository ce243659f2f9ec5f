using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>
/// Issue 24, the design language: the main pages on a phone (390×844) and a desktop (1366×900), in
/// light and dark, each screenshotted whole (artifacts/screenshots/…/design-*) and checked by axe; the
/// phone keeps its safety controls on screen at the page end, its bottom bar leaves the page end clear,
/// and "More" opens by keyboard without a script. People in the circle show initials avatars. A person
/// may choose light or dark in their profile, whatever their device says. The component page
/// (/design, Development only) shows every shared component in both themes.
/// </summary>
public sealed class DesignTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Pages = ["/", "/journal", "/circle", "/practices/noticing-patterns", "/safety-plan"];
    private static readonly string[] SafetyControls = ["Grounding", "Reach out", "Crisis lines", "Quick exit"];

    [BrowserFact(LooksOnly = true)]
    public async Task MainPages_OnPhoneAndDesktop_InLightAndDark_AreAccessible_AndThePhoneKeepsSafetyInReach()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Rowan");
        await Circles.JoinAsync(app, person, await app.RegisterAsync("Sam Okafor"), "Sam Okafor");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "A slower morning", text = "Tea by the window before anyone woke." }), HttpStatusCode.Created);

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            foreach (var phone in new[] { true, false })
            {
                var options = phone ? BrowserFixture.Phone(app.BaseUrl) : new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1366, Height = 900 } };
                options.ColorScheme = scheme;
                var context = await fixture.NewContextAsync(options);
                var page = await context.NewPageAsync();
                await BrowserFixture.SignInAsync(page, person.Email, person.Password);
                var tag = $"{(phone ? "phone" : "desktop")}-{(scheme == ColorScheme.Dark ? "dark" : "light")}";
                foreach (var path in Pages)
                {
                    if (path != "/") await page.GotoAsync(path);
                    await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                    await Screenshots.TakeAsync(page, $"design-{tag}{(path == "/" ? "-today" : path.Replace('/', '-'))}", fullPage: true);
                    await Accessibility.AssertAsync(page);
                    if (path == "/circle")
                    {
                        // A person looks like a person: initials beside the name, hidden from screen readers, the link named by the name alone.
                        var sam = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sam Okafor", Exact = true });
                        await Assertions.Expect(sam.Locator(".avatar")).ToHaveTextAsync("SO");
                        await Assertions.Expect(sam.Locator(".avatar")).ToHaveAttributeAsync("aria-hidden", "true");
                    }
                    if (phone) await AssertPhoneFrameAsync(page, path);
                }
                if (phone)
                {
                    await AssertMoreOpensByKeyboardAsync(page, tag);
                    await AssertFirstScreensShowContentAsync(page, tag);
                }
                await context.CloseAsync();
            }
        }
    }

    [BrowserFact(LooksOnly = true)]
    public async Task TheDesignPage_ShowsEveryComponent_InBothThemes_TheScaleOnOneRow_AndChipsWhole()
    {
        foreach (var (width, height, tag) in new[] { (390, 844, "phone"), (1366, 900, "desktop") })
        {
            var options = width == 390 ? BrowserFixture.Phone(fixture.App.BaseUrl) : new() { BaseURL = fixture.App.BaseUrl, ViewportSize = new() { Width = width, Height = height } };
            var context = await fixture.NewContextAsync(options);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/design");
            foreach (var theme in new[] { "Light", "Dark" })
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = theme, Exact = true, Level = 2 })).ToBeVisibleAsync();
            Assert.Equal((LightBg, LightText), await ThemeColoursAsync(page, "light"));
            Assert.Equal((DarkBg, DarkText), await ThemeColoursAsync(page, "dark"));
            await Screenshots.TakeAsync(page, $"design-components-{tag}", fullPage: true);
            await Accessibility.AssertAsync(page);
            await context.CloseAsync();
        }

        // At 320 px, the narrowest phone: the 0–10 scale is one row, and a chip of several words is as tall as a chip of one.
        var narrow = BrowserFixture.Phone(fixture.App.BaseUrl);
        narrow.ViewportSize = new() { Width = 320, Height = 568 };
        var small = await fixture.NewContextAsync(narrow);
        var phone = await small.NewPageAsync();
        await phone.GotoAsync("/design");
        foreach (var theme in new[] { "light", "dark" })
        {
            var section = phone.Locator($"section[data-theme={theme}]");
            var tops = await section.Locator(".suds-point label").EvaluateAllAsync<double[]>("ls => ls.map(l => Math.round(l.getBoundingClientRect().top))");
            Assert.Equal(11, tops.Length);
            Assert.True(tops.Distinct().Count() == 1, $"{theme}: the 0–10 scale wraps at 320 px; tops {string.Join(", ", tops)}");
            var right = await section.Locator(".suds-point label").Last.EvaluateAsync<double>("l => l.getBoundingClientRect().right");
            Assert.True(right <= 320, $"{theme}: the scale's 10 ends at {right} px, past the 320 px screen");
            await section.Locator($"#{theme}-suds-7").CheckAsync(); // the radio lies over its number
            await Assertions.Expect(section.Locator($"#{theme}-suds-7")).ToBeCheckedAsync();

            foreach (var (chips, many, one) in new[] { (".chips:not(.range-chips)", "Reach out to someone", "Home"), (".chips-choice", "someone on my side", "rest"), ("ul.chips", "Sam Okafor (facilitator)", "Rowan") })
            {
                var row = section.Locator(chips).First;
                var heights = await Task.WhenAll(new[] { many, one }.Select(text =>
                    row.GetByText(text, new() { Exact = true }).EvaluateAsync<double>("e => (e.closest('a, label, .chip') ?? e).getBoundingClientRect().height")));
                Assert.True(Math.Abs(heights[0] - heights[1]) < 0.5, $"{theme}: \"{many}\" is {heights[0]} px tall, \"{one}\" {heights[1]} px: its words broke across lines");
            }
        }
        var wider = await phone.EvaluateAsync<string>("() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 320.5).slice(0, 5).map(e => e.outerHTML.slice(0, 120)).join('\\n')");
        Assert.True(wider.Length == 0, $"/design at 320 px scrolls sideways; wider than the screen:\n{wider}");
        await Screenshots.TakeAsync(phone, "design-components-320", fullPage: true);
        await small.CloseAsync();
    }

    /// <summary>The ground of a themed section of the design page, and the colour of its body text.</summary>
    private static async Task<(string Background, string Text)> ThemeColoursAsync(IPage page, string theme)
    {
        var section = page.Locator($"section[data-theme={theme}]");
        return (await section.EvaluateAsync<string>("s => getComputedStyle(s).backgroundColor"),
            await section.Locator("p:not(.lead):not(.hint)").First.EvaluateAsync<string>("p => getComputedStyle(p).color"));
    }

    [BrowserFact]
    public async Task AskingForLessMotionAndMoreContrast_StillsTheBreathingCircle_AndStrengthensText()
    {
        var options = BrowserFixture.Phone(fixture.App.BaseUrl);
        options.ColorScheme = ColorScheme.Dark;
        options.ReducedMotion = ReducedMotion.Reduce;
        options.Contrast = Contrast.More;
        var context = await fixture.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/grounding");
        var circle = page.Locator(".breath-circle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start breathing with me" }).ClickAsync();
        Assert.Equal("0s", await circle.EvaluateAsync<string>("c => getComputedStyle(c).transitionDuration"));
        Assert.Equal("none", await circle.EvaluateAsync<string>("c => getComputedStyle(c).transform"));
        var (muted, text) = (await page.Locator(".lead").First.EvaluateAsync<string>("e => getComputedStyle(e).color"), await page.Locator("body").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.Equal(text, muted);
        await Screenshots.TakeAsync(page, "design-phone-dark-more-contrast-grounding", fullPage: true);
        await Accessibility.AssertAsync(page);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task ChoosingDark_OnALightDevice_DarkensThePage_AndMatchMyDevice_FollowsTheDevice()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Juniper");
        var options = BrowserFixture.Phone(app.BaseUrl);
        options.ColorScheme = ColorScheme.Light;
        var context = await fixture.NewContextAsync(options);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, person.Email, person.Password);
        await page.GotoAsync("/account");
        var looks = page.GetByRole(AriaRole.Group, new() { Name = "How Attune looks" });
        await Assertions.Expect(looks.GetByLabel("Match my device")).ToBeCheckedAsync();
        Assert.Equal(LightBg, await BackgroundAsync(page));
        await Screenshots.TakeAsync(page, "theme-phone-profile-light", fullPage: true);
        await Accessibility.AssertAsync(page);

        // Choosing shows it at once, before saving; leaving without Save keeps the look that was saved.
        await looks.GetByLabel("Dark", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Equal(DarkBg, await BackgroundAsync(page));
        await Assertions.Expect(page.Locator("#theme-preview")).ToHaveTextAsync("This is how it will look. Save to keep it.");
        await Accessibility.AssertAsync(page);
        // Back to the saved choice: nothing to save, so no note.
        await looks.GetByLabel("Match my device").CheckAsync();
        Assert.Null(await page.Locator("html").GetAttributeAsync("data-theme"));
        await Assertions.Expect(page.Locator("#theme-preview")).ToHaveTextAsync("");
        // Dark again, away unsaved and Back: whatever the browser brings back ticked is what shows.
        await looks.GetByLabel("Dark", new() { Exact = true }).CheckAsync();
        await page.GotoAsync("/journal");
        await page.GoBackAsync();
        await page.WaitForFunctionAsync(@"() => {
            const ticked = document.querySelector('[data-theme-choice]:checked');
            const value = ticked && ticked.value !== 'system' ? ticked.value : undefined;
            return value === document.documentElement.dataset.theme;
        }", null, new() { Timeout = 5000 });
        await page.GotoAsync("/account");
        Assert.Null(await page.Locator("html").GetAttributeAsync("data-theme"));
        Assert.Equal(LightBg, await BackgroundAsync(page));

        // Dark on a light device, saved: a plain form post, no script needed.
        await looks.GetByLabel("Dark", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await Assertions.Expect(looks.GetByLabel("Dark", new() { Exact = true })).ToBeCheckedAsync();
        Assert.Equal(DarkBg, await BackgroundAsync(page));
        Assert.Equal("dark", await page.Locator("meta[name=color-scheme]").GetAttributeAsync("content"));
        await Screenshots.TakeAsync(page, "theme-phone-profile-dark", fullPage: true);
        await Accessibility.AssertAsync(page);
        await page.GotoAsync("/journal");
        Assert.Equal(DarkBg, await BackgroundAsync(page));
        await Accessibility.AssertAsync(page);

        // A section can show the other theme inside a page (the design page's side-by-side view).
        Assert.Equal((LightBg, LightText), await SectionColoursAsync(page, "light"));

        // Match my device: the page follows the device, whichever way it turns.
        await page.GotoAsync("/account");
        await looks.GetByLabel("Match my device").CheckAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        Assert.Null(await page.Locator("html").GetAttributeAsync("data-theme"));
        Assert.Equal(LightBg, await BackgroundAsync(page));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        Assert.Equal(DarkBg, await BackgroundAsync(page));
        Assert.Equal((LightBg, LightText), await SectionColoursAsync(page, "light"));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        Assert.Equal(LightBg, await BackgroundAsync(page));
        Assert.Equal((DarkBg, DarkText), await SectionColoursAsync(page, "dark"));
        await context.CloseAsync();
    }

    // --bg and --text of tokens.css, light and dark, as getComputedStyle gives them.
    private const string LightBg = "rgb(247, 245, 241)", DarkBg = "rgb(18, 24, 22)", LightText = "rgb(31, 42, 48)", DarkText = "rgb(230, 236, 233)";

    private static Task<string> BackgroundAsync(IPage page) => page.Locator("body").EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");

    /// <summary>The ground and text colour of a paragraph in a new section with <c>data-theme</c> set, at the end of main.</summary>
    private static async Task<(string Background, string Text)> SectionColoursAsync(IPage page, string theme)
    {
        var colours = await page.EvaluateAsync<string[]>(
            """
            theme => {
              const section = document.createElement("section");
              section.dataset.theme = theme;
              const p = section.appendChild(document.createElement("p"));
              p.textContent = "A sample";
              document.querySelector("main").append(section);
              const result = [getComputedStyle(section).backgroundColor, getComputedStyle(p).color];
              section.remove();
              return result;
            }
            """, theme);
        return (colours[0], colours[1]);
    }

    /// <summary>At the page end the safety controls are on screen, and the bottom bar covers nothing of the page.</summary>
    private static async Task AssertPhoneFrameAsync(IPage page, string path)
    {
        var main = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        foreach (var name in new[] { "Today", "Journal", "Circle" })
            await Assertions.Expect(main.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeInViewportAsync();
        await Assertions.Expect(main.GetByText("More", new() { Exact = true })).ToBeInViewportAsync();

        await page.EvaluateAsync("window.scrollTo(0, document.documentElement.scrollHeight)");
        foreach (var name in SafetyControls)
            await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Safety" }).GetByRole(AriaRole.Link, new() { Name = name })).ToBeInViewportAsync(new() { Ratio = 1 });
        var bar = await main.BoundingBoxAsync();
        var footer = await page.Locator(".site-footer").BoundingBoxAsync();
        Assert.True(bar is not null && footer is not null && footer.Y + footer.Height <= bar.Y + 0.5,
            $"{path}: the page ends at {footer?.Y + footer?.Height}, under the bottom bar at {bar?.Y}");
    }

    /// <summary>The first screen of Today, at 390 and at 320 px wide, starts with the page, not a wall of links, and nothing spills sideways.</summary>
    private static async Task AssertFirstScreensShowContentAsync(IPage page, string tag)
    {
        foreach (var (width, height) in new[] { (390, 844), (320, 568) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/");
            var heading = await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).BoundingBoxAsync();
            Assert.True(heading is { Y: < 140 }, $"{width} px: the page's heading starts at y={heading?.Y}");
            await Screenshots.TakeAsync(page, $"design-{tag}-first-screen-{width}");
            var wider = await page.EvaluateAsync<string>("w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5).slice(0, 5).map(e => e.outerHTML.slice(0, 120)).join('\\n')", width);
            Assert.True(wider.Length == 0, $"{width} px: the page scrolls sideways; wider than the screen:\n{wider}");
            // At 320 px "Crisis lines" reads "Help", so the controls are found by what they are.
            foreach (var control in new[] { ".grounding-link", ".reach-link", ".help-link", ".quick-exit" })
                await Assertions.Expect(page.Locator(".safety-bar " + control)).ToBeInViewportAsync(new() { Ratio = 1 });
        }
    }

    /// <summary>"More" is a plain disclosure: a keyboard opens it, and everything else is in it.</summary>
    private static async Task AssertMoreOpensByKeyboardAsync(IPage page, string tag)
    {
        await page.GotoAsync("/journal");
        var main = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await main.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        foreach (var name in new[] { "Journey", "Reactions", "Insights", "Care", "Check-ins", "Safety plan", "Profile", "Your data" })
            await Assertions.Expect(main.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeInViewportAsync();
        await Assertions.Expect(main.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeInViewportAsync();
        await Screenshots.TakeAsync(page, $"design-{tag}-more-open");
        await Accessibility.AssertAsync(page);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(main.Locator(".menu-panel")).ToBeHiddenAsync();
        await Assertions.Expect(main.Locator("summary")).ToBeFocusedAsync();
    }
}
