using Attune.Composition;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>The app in demo mode (<c>--demo</c>), with its demo people, and a browser.</summary>
public sealed class DemoBrowserFixture() : BrowserFixture(new BrowserApp(new Dictionary<string, string?> { ["Attune:Demo"] = "true" }));

/// <summary>
/// Issue 23, item 10: each demo account, on a phone, walks every part of Attune that is theirs, and
/// every screen has something to show: no empty lists where the demo promises a story, no page
/// pointing at something missing, and no accessibility violations. Robin's walk (the longest) and
/// everyone else's are two classes, each with its own demo app, so CI can run them side by side.
/// </summary>
public sealed class DemoWalkTests(DemoBrowserFixture fixture) : IClassFixture<DemoBrowserFixture>
{
    [BrowserFact]
    public async Task Item10_Robin_WalksEveryJourney_WithoutAnEmptyScreen_AndJoinsTheOpenRoom() =>
        await DemoWalk.WalkAsync(fixture, DemoWalk.Robin);
}

/// <summary>The demo's sign-in page, and the walks of everyone in Robin's story but Robin.</summary>
public sealed class DemoWalkOthersTests(DemoBrowserFixture fixture) : IClassFixture<DemoBrowserFixture>
{
    [BrowserFact]
    public async Task Item10_EveryOtherDemoAccount_WalksEveryJourney_WithoutAnEmptyScreen()
    {
        var context = await fixture.NewContextAsync(DemoWalk.Phone(fixture));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        foreach (var (email, _, _) in DemoSeeder.People) await Assertions.Expect(page.GetByText(email)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("group facilitator", new() { Exact = false })).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "26-demo-sign-in-phone", fullPage: true);
        await context.CloseAsync();
        await DemoWalk.WalkAsync(fixture, DemoWalk.Others);
    }
}

public static class DemoWalk
{
    /// <summary>Who signs in, where they land, and each page with something it must show.</summary>
    public static readonly (string Email, string Landing, (string Path, string Shows)[] Pages)[] Robin =
    [
        ("robin@demo.attune.local", "**/", [
            ("/", "In your circle: Sam and Maya."), ("/journey", "Safety and patterns"), ("/journal", "To seven-year-old me"),
            ("/journal/timeline", "Moving house"), ("/activations", "Feedback on my report"), ("/insights", "Reactions"),
            ("/check-ins", "Mood check-in (PHQ-9)"), ("/safety-plan", "a walk by the canal"), ("/circle", "Maya"),
            ("/reach", "someone was there"), ("/shared", "Sam"), ("/care", "Dr. Lee"), ("/moment", "Pause and breathe"),
            ("/help", "Samaritans Ireland"), ("/grounding", "Use your senses"), ("/groups/mine", DemoGroup.Title),
        ]),
    ];

    public static readonly (string Email, string Landing, (string Path, string Shows)[] Pages)[] Others =
    [
        ("sam@demo.attune.local", "**/", [("/", "People you support"), ("/circle", "Robin"), ("/shared", "To seven-year-old me")]),
        ("dr.lee@demo.attune.local", "**/caseload", [("/caseload", "Robin"), ("/", "Your workspace"), ("/care", "in the directory"), ("/therapists", "Dr. Lee")]),
        ("maya@demo.attune.local", "**/", [("/", "Robin"), ("/care", "Dr. Lee"), ("/circle", "Robin"), ("/groups/mine", DemoGroup.Title)]),
        ("aoife@demo.attune.local", "**/", [("/groups/mine", DemoGroup.Title), ("/groups", DemoGroup.Title)]),
        ("jonah@demo.attune.local", "**/", [("/groups/mine", DemoGroup.Title)]),
    ];

    public static BrowserNewContextOptions Phone(BrowserFixture fixture) => BrowserFixture.Phone(fixture.App.BaseUrl, locale: "en-IE", timeZone: "Europe/Dublin");

    public static async Task WalkAsync(BrowserFixture fixture, (string Email, string Landing, (string Path, string Shows)[] Pages)[] walks)
    {
        var context = await fixture.NewContextAsync(Phone(fixture));
        var page = await context.NewPageAsync();
        foreach (var (email, landing, pages) in walks)
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
            if (email.StartsWith("robin@", StringComparison.Ordinal))
            {
                // Robin's group has a meeting open now: from "My groups" into the live room, where a round is running.
                await page.GotoAsync("/groups/mine");
                await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = DemoGroup.Title }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Meeting 3 is open now" })).ToBeVisibleAsync();
                await page.GetByRole(AriaRole.Link, new() { Name = "Join the room" }).ClickAsync();
                await page.ArrivedAsync("**/groups/*/meetings/*");
                await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("How old is the younger you who feels closest today?");
                await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("About seven, I think.");
                await AssertNoSidewaysScrollAsync(page, $"{email} the demo group's room");
                await Accessibility.AssertAsync(page);
                await Screenshots.TakeAsync(page, $"27-demo-{who}-group-room", fullPage: true);
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
