using Attune.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Attune.BrowserTests;

/// <summary>Debian's Chromium, found at ATTUNE_CHROMIUM or /usr/bin/chromium. Tests are skipped, saying so, without it.</summary>
public static class Chromium
{
    public static string? Path => new[] { Environment.GetEnvironmentVariable("ATTUNE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
}

public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Path is null) Skip = "Chromium is not installed here (apt-get install chromium, or set ATTUNE_CHROMIUM); .ci/run installs it.";
    }

    /// <summary>
    /// A walk that checks only how pages look (themes, sizes, screenshots), with nothing of its own
    /// stored: it runs in the SQLite pass, and the PostgreSQL pass skips it, saying so, since a page
    /// looks the same on either database.
    /// </summary>
    public bool LooksOnly
    {
        get => field;
        set
        {
            field = value;
            if (value && TestDatabase.UsePostgres) Skip ??= "Checks only how pages look, the same on either database; the SQLite pass runs it.";
        }
    }
}

/// <summary>The app on a real loopback port (Development: plain http, so cookies carry no __Host- prefix), and a browser.</summary>
public sealed class BrowserApp : AttuneApp
{
    public BrowserApp() : this(null) { }

    public BrowserApp(IDictionary<string, string?>? settings) : base(WithLoopbackHost(settings)) => UseKestrel(0);

    // The browser and the API client reach the app at 127.0.0.1:{port}, a host the HTTP tests' list doesn't name.
    private static Dictionary<string, string?> WithLoopbackHost(IDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?> { ["AllowedHosts"] = "localhost;127.0.0.1" };
        if (settings is not null) foreach (var (k, v) in settings) all[k] = v;
        return all;
    }

    protected override string EnvironmentName => "Development";

    public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
        .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
}

public class BrowserFixture : IAsyncLifetime
{
    public BrowserFixture() : this(new BrowserApp()) { }

    protected BrowserFixture(BrowserApp app) => App = app;

    public BrowserApp App { get; }
    public IPlaywright? Playwright { get; private set; }
    public IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        if (Chromium.Path is null) return;
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh context with patient timeouts: CI shares two cores between the app, the tests and the browser.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        var context = await Browser!.NewContextAsync(options);
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return context;
    }

    /// <summary>A phone: 390×844, touch, in a person's own language and time zone.</summary>
    public static BrowserNewContextOptions Phone(string baseUrl, bool acceptDownloads = false, string locale = "en-GB", string timeZone = "Europe/London") => new()
    {
        BaseURL = baseUrl,
        AcceptDownloads = acceptDownloads,
        ViewportSize = new() { Width = 390, Height = 844 },
        HasTouch = true,
        IsMobile = true,
        // One device pixel per CSS pixel: the same layout, media queries and touch as a phone, with a
        // quarter of the pixels for Chromium's software renderer to draw on CI's two cores.
        DeviceScaleFactor = 1,
        Locale = locale,
        TimezoneId = timeZone,
    };

    /// <summary>A new browser context for <paramref name="person"/>, signed in through the sign-in page, where signing in lands (Today, or a therapist's workspace).</summary>
    public async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(Person person, bool acceptDownloads = false, bool phone = false, string landing = "**/")
    {
        var context = await NewContextAsync(phone ? Phone(App.BaseUrl, acceptDownloads) : new() { BaseURL = App.BaseUrl, AcceptDownloads = acceptDownloads });
        var page = await context.NewPageAsync();
        await SignInAsync(page, person.Email, person.Password, landing);
        return (context, page);
    }

    public static async Task SignInAsync(IPage page, string email, string password, string landing = "**/")
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.ArrivedAsync(landing);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        await ((IAsyncLifetime)App).DisposeAsync();
    }
}

/// <summary>axe-core over the page, WCAG 2.2 A and AA rules; fails listing each violation and where.</summary>
/// <summary>
/// Arriving at a page after a click or a redirect. Under load, Playwright's own wait for a URL has
/// been seen to miss the page's lifecycle events and wait 60 s though the page was there (its log
/// showed "networkidle" fired). So this watches the URL itself, then asks the page until it is
/// complete; neither depends on lifecycle events, and both work under the app's strict CSP.
/// </summary>
public static class Navigation
{
    public static Task ArrivedAsync(this IPage page, string glob) => page.ArrivedAsync(Glob(glob));

    public static async Task ArrivedAsync(this IPage page, System.Text.RegularExpressions.Regex url)
    {
        await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 60_000 });
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (await page.EvaluateAsync<string>("() => document.readyState") == "complete") return;
            }
            catch (PlaywrightException)
            {
                // The document was being replaced; ask the new one.
            }
            if (DateTime.UtcNow > until) throw new TimeoutException($"{page.Url} did not finish loading in 60 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>Playwright's URL glob as a regular expression: ** any characters, * any but '/', everything else literal.</summary>
    public static System.Text.RegularExpressions.Regex Glob(string glob) =>
        new("^" + System.Text.RegularExpressions.Regex.Escape(glob).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$");
}

public static class Accessibility
{
    private static readonly Deque.AxeCore.Commons.AxeRunOptions Wcag = new()
    {
        RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    /// <summary>
    /// axe runs in the SQLite pass: a page's markup is the same whichever database is behind it, so the
    /// PostgreSQL pass walks the same flows without checking the same markup again.
    /// </summary>
    public static bool Checked => !TestDatabase.UsePostgres;

    public static async Task AssertAsync(IPage page)
    {
        if (!Checked) return;
        var axe = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page, Wcag);
        Assert.True(axe.Violations.Length == 0, page.Url + "\n" + string.Join("\n", axe.Violations.Select(v => v.Id + ": " + v.Help + " " + string.Join(" | ", v.Nodes.Select(n => n.Html)))));
    }
}

/// <summary>
/// Screenshots of what a person sees, kept for CI as artifacts: artifacts/screenshots/{sqlite|postgres}/
/// at the repository root (ignored by git). Each walk names its own.
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(Repository.Root, "artifacts", "screenshots", TestDatabase.UsePostgres ? "postgres" : "sqlite");

    /// <summary>
    /// Taken in the SQLite pass only: a page looks the same whichever database is behind it, and CI's
    /// time goes to walking the flows again on PostgreSQL, not to drawing the same pictures twice.
    /// </summary>
    public static bool Taken => !TestDatabase.UsePostgres;

    public static async Task TakeAsync(IPage page, string name, bool fullPage = false)
    {
        if (!Taken) return;
        Directory.CreateDirectory(Folder);
        // At CSS pixels (a phone's 390 px, not its 780 device pixels): as legible to look at, and a third of the work.
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, name + ".png"), FullPage = fullPage, Animations = ScreenshotAnimations.Disabled, Scale = ScreenshotScale.Css });
    }
}
