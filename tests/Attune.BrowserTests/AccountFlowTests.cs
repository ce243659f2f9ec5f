using System.Text.Json;
using Attune.Tests.Support;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Attune.BrowserTests;

/// <summary>
/// A newcomer's first steps in a real browser: register, confirm from the email, sign in, turn on
/// two-step sign-in, sign out, sign in again with a code. Every page visited is checked with
/// axe-core against WCAG 2.x A and AA.
/// </summary>
public sealed class AccountFlowTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static readonly AxeRunOptions Wcag = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    [BrowserFact]
    public async Task Register_Confirm_SignIn_EnableTwoStep_SignOut_SignInWithCode()
    {
        var app = fixture.App;
        var context = await fixture.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
        var email = AttuneApp.NewEmail("browser");
        const string password = "lanterns along the harbour wall";

        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to main content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await CheckAccessibleAsync(page, "home (signed out)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).First.ClickAsync();
        await CheckAccessibleAsync(page, "register");
        await page.GetByLabel("What should we call you?").FillAsync("Ash");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await CheckAccessibleAsync(page, "check email");

        var link = new Uri(Mail.LinkIn(Mail.Latest(app.MailDirectory, email, "Confirm")));
        await page.GotoAsync(link.PathAndQuery);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your email is confirmed" })).ToBeVisibleAsync();
        await CheckAccessibleAsync(page, "email confirmed");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await CheckAccessibleAsync(page, "sign in");
        await SignInWithPasswordAsync(page, email, password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Ash" })).ToBeVisibleAsync();
        await CheckAccessibleAsync(page, "home (signed in)");

        await page.GetByText("Account", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Password and sign-in" }).ClickAsync();
        await CheckAccessibleAsync(page, "password and sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage two-step sign-in" }).ClickAsync();
        await CheckAccessibleAsync(page, "two-step setup");
        var key = (await page.Locator("#authenticator-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal);
        await page.GetByLabel("Enter the 6-digit code your app shows").FillAsync(Totp.Code(key));
        await page.GetByLabel("Current password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Save your recovery codes" })).ToBeVisibleAsync();
        await CheckAccessibleAsync(page, "recovery codes");
        await Screenshot(page, "recovery-codes");

        await page.GetByText("Account", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You've signed out");

        await page.GotoAsync("/account/sign-in");
        await SignInWithPasswordAsync(page, email, password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-step sign-in" })).ToBeVisibleAsync();
        await CheckAccessibleAsync(page, "two-step sign-in");
        await page.GetByLabel("Code from your app").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, Ash" })).ToBeVisibleAsync();
        await Screenshot(page, "home");

        Assert.Empty(consoleErrors);
        await context.CloseAsync();
    }

    [BrowserFact]
    public async Task PublicAndAccountPages_PassAxe_OnANarrowPhoneScreen()
    {
        var app = fixture.App;
        var person = await app.RegisterAsync("Rowan");
        var context = await fixture.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 360, Height = 740 } });
        var page = await context.NewPageAsync();
        foreach (var path in new[] { "/privacy", "/account/forgot-password", "/account/register" })
        {
            await page.GotoAsync(path);
            await CheckAccessibleAsync(page, path + " (phone)");
        }
        await page.GotoAsync("/account/sign-in");
        await SignInWithPasswordAsync(page, person.Email, person.Password);
        foreach (var path in new[] { "/account", "/account/security", "/account/sessions", "/privacy/data", "/privacy/access-log", "/privacy/security-log", "/privacy/delete" })
        {
            await page.GotoAsync(path);
            await CheckAccessibleAsync(page, path + " (phone)");
        }
        await Screenshot(page, "delete-phone");
        await context.CloseAsync();
    }

    private static async Task SignInWithPasswordAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private async Task CheckAccessibleAsync(IPage page, string name)
    {
        if (!Accessibility.Checked) return;
        var result = await page.RunAxe(Wcag);
        var problems = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => JsonSerializer.Serialize(n.Target)))}").ToList();
        Assert.True(problems.Count == 0, $"axe found problems on {name} ({page.Url}):\n" + string.Join("\n", problems));
        output.WriteLine($"axe: {name}: {result.Passes.Length} rules passed, no violations");
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var dir = Environment.GetEnvironmentVariable("ATTUNE_SCREENSHOTS");
        if (!string.IsNullOrEmpty(dir)) await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
