using Attune.Composition;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>The app in demo mode (<c>--demo</c>), with its demo people, and a browser.</summary>
public sealed class DemoBrowserFixture() : BrowserFixture(new BrowserApp(new Dictionary<string, string?> { ["Attune:Demo"] = "true" }));

/// <summary>
/// Issue 23, item 10: each demo account, on a phone, walks every part of Attune that is theirs, and
/// every screen has something to show: no empty lists where the demo promises a story, no page
/// pointing at something missing, and no accessibility violations.
/// </summary>
public sealed class DemoWalkTests(DemoBrowserFixture fixture) : IClassFixture<DemoBrowserFixture>
{
    /// <summary>Who signs in, where they land, and each page with something it must show.</summary>
    private static readonly (string Email, string Landing, (string Path, string Shows)[] Pages)[] Walks =
    [
        ("robin@demo.attune.local", "**/", [
            ("/", "In your circle: Sam and Maya."), ("/journey", "Safety and patterns"), ("/journal", "To seven-year-old me"),
            ("/journal/timeline", "Moving house"), ("/activations", "Feedback on my report"), ("/insights", "Reactions"),
            ("/check-ins", "Mood check-in (PHQ-9)"), ("/safety-plan", "a walk by the canal"), ("/circle", "Maya"),
            ("/reach", "someone was there"), ("/shared", "Sam"), ("/care", "Dr. Lee"), ("/moment", "Pause and breathe"),
            ("/help", "Samaritans Ireland"), ("/grounding", "Use your senses"),
        ]),
        ("sam@demo.attune.local", "**/", [("/", "People you support"), ("/circle", "Robin"), ("/shared", "To seven-year-old me")]),
        ("dr.lee@demo.attune.local", "**/caseload", [("/caseload", "Robin"), ("/", "Your workspace"), ("/care", "in the directory"), ("/therapists", "Dr. Lee")]),
        ("maya@demo.attune.local", "**/", [("/", "Robin"), ("/care", "Dr. Lee"), ("/circle", "Robin")]),
    ];

    [BrowserFact]
    public async Task Item10_EveryDemoAccount_WalksEveryJourney_WithoutAnEmptyScreen()
    {
        var context = await fixture.NewContextAsync(BrowserFixture.Phone(fixture.App.BaseUrl, locale: "en-IE", timeZone: "Europe/Dublin"));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        foreach (var (email, _, _) in DemoSeeder.People) await Assertions.Expect(page.GetByText(email)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("group facilitator", new() { Exact = false })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "26-demo-sign-in-phone", fullPage: true);

        foreach (var (email, landing, pages) in Walks)
        {
            await BrowserFixture.SignInAsync(page, email, DemoSeeder.Password, landing);
            var who = email.Split('@')[0].Replace(".", "-", StringComparison.Ordinal);
            foreach (var (path, shows) in pages)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response?.Status == 200, $"{email} {path}: {response?.Status}");
                await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(shows);
                foreach (var empty in new[] { "Nothing here yet", "None yet", "No messages yet" })
                    Assert.False(await page.GetByRole(AriaRole.Main).GetByText(empty, new() { Exact = false }).IsVisibleAsync(), $"{email} {path} shows \"{empty}\"");
                await AssertNoSidewaysScrollAsync(page, $"{email} {path}");
                await Accessibility.AssertAsync(page);
                await Screenshots.TakeAsync(page, $"27-demo-{who}{path.Replace('/', '-').TrimEnd('-')}", fullPage: true);
            }
            if (landing == "**/caseload")
            {
                // A person's workspace page: the parts of the journey, each with its open/close form, fit the phone.
                await page.GotoAsync("/caseload");
                await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Robin" }).ClickAsync();
                await page.ArrivedAsync("**/caseload/*");
                await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Parts of the journey" })).ToBeVisibleAsync();
                await AssertNoSidewaysScrollAsync(page, $"{email} Robin's workspace");
                await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("In your time zone (Dublin time)");
                await Assertions.Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Europe/");
                await Accessibility.AssertAsync(page);
                await Screenshots.TakeAsync(page, $"27-demo-{who}-caseload-robin", fullPage: true);
            }
            await context.ClearCookiesAsync();
        }
        await context.CloseAsync();
    }

    /// <summary>Nothing on the page is wider than the phone: no sideways scrolling to read it.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page, string where)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"{where} is {width} px wide on a 390 px phone");
    }
}
