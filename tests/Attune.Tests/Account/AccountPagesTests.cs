using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Attune.Tests.Support;

namespace Attune.Tests.Account;

public sealed partial class AccountPagesTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task Register_ThroughThePages_ConfirmFromEmail_SignIn_AndSeeYourName()
    {
        var email = AttuneApp.NewEmail("pages");
        using var pages = app.AnonymousPages();
        var register = await pages.PostFormAsync("/account/register", new()
        {
            ["Input.DisplayName"] = "Wren",
            ["Input.Email"] = email,
            ["Input.Password"] = AttuneApp.DefaultPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, register.StatusCode);
        Assert.Equal("/account/check-email", register.Headers.Location?.OriginalString);

        var tooEarly = await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = email, ["Input.Password"] = AttuneApp.DefaultPassword });
        Assert.Contains("Please confirm your email first", await tooEarly.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await app.ConfirmEmailAsync(email);
        using var signedIn = await app.SignInPagesAsync(email);
        var home = await signedIn.GetPageAsync("/");
        Assert.Contains("Hello, Wren", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ThroughThePages_WithAWeakPassword_ShowsWhyAndKeepsTheForm()
    {
        using var pages = app.AnonymousPages();
        var response = await pages.PostFormAsync("/account/register", new() { ["Input.Email"] = AttuneApp.NewEmail(), ["Input.Password"] = "iloveyou1234" });
        var html = await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Contains("list of passwords many people use", html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_UnknownEmailAndWrongPassword_ShowTheSameMessage()
    {
        var person = await app.RegisterAsync();
        using var pages = app.AnonymousPages();
        var wrong = await (await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = person.Email, ["Input.Password"] = "not right at all, no" })).Content.ReadAsStringAsync();
        var unknown = await (await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = AttuneApp.NewEmail("ghost"), ["Input.Password"] = "not right at all, no" })).Content.ReadAsStringAsync();
        Assert.Equal(MainOf(wrong), MainOf(unknown));
        Assert.Contains("don&#x27;t match an account", MainOf(wrong), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_LocksTheAccountAfterFiveWrongPasswords()
    {
        var person = await app.RegisterAsync();
        using var pages = app.AnonymousPages();
        for (var i = 0; i < 5; i++)
            await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = person.Email, ["Input.Password"] = "wrong guess " + i + " here" });
        var right = await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("paused on this device for 15 minutes", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var log = await (await app.SignInAsyncOrNull(person)).Content.ReadAsStringAsync();
        Assert.Contains("LockedOut", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoStepSignIn_SetUpOnThePage_ThenSignInAsksForTheCode()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var setup = await pages.GetPageAsync("/account/two-factor");
        Assert.Contains("data:image/png;base64,", setup, StringComparison.Ordinal);
        var key = KeyPattern().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(key));

        var wrong = await pages.PostFormAsync("/account/two-factor?handler=Enable", new() { ["Code"] = "000000", ["Password"] = person.Password }, "/account/two-factor");
        Assert.Contains("didn&#x27;t match", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var enable = await pages.PostFormAsync("/account/two-factor?handler=Enable", new() { ["Code"] = Totp.Code(key), ["Password"] = person.Password }, "/account/two-factor");
        Assert.Equal(HttpStatusCode.Redirect, enable.StatusCode);
        var codesPage = await pages.GetPageAsync("/account/two-factor");
        Assert.Contains("Save your recovery codes", codesPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Save your recovery codes", await pages.GetPageAsync("/account/two-factor"), StringComparison.Ordinal);

        using var fresh = app.AnonymousPages();
        var step1 = await fresh.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password });
        Assert.StartsWith("/account/sign-in/two-factor", step1.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var step2 = await fresh.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.Redirect, step2.StatusCode);
        Assert.Contains("Hello", await fresh.GetPageAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookingAtTheTwoStepSetupPage_DoesNotSignOutOtherDevices()
    {
        var person = await app.RegisterAsync();
        using var laptop = await app.SignInPagesAsync(person.Email);
        await laptop.GetPageAsync("/account/two-factor");
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ChangingPasswordOnThePage_SignsOutOtherDevices_AndKeepsThisOne()
    {
        var person = await app.RegisterAsync();
        using var laptop = await app.SignInPagesAsync(person.Email);
        using var phone = await app.SignInPagesAsync(person.Email);

        var change = await laptop.PostFormAsync("/account/security?handler=Password",
            new() { ["Password.Current"] = person.Password, ["Password.New"] = "evening tide over stones" }, "/account/security");
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);

        Assert.Contains("signed out everywhere else", await laptop.GetPageAsync("/account/security"), StringComparison.Ordinal);
        var phoneAgain = await phone.Http.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, phoneAgain.StatusCode);
        Assert.StartsWith("/account/sign-in", phoneAgain.Headers.Location?.PathAndQuery ?? phoneAgain.Headers.Location?.OriginalString, StringComparison.Ordinal);
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SessionsPage_ListsDevices_AndEndsOne()
    {
        var person = await app.RegisterAsync();
        using var laptop = await app.SignInPagesAsync(person.Email);
        var page = await laptop.GetPageAsync("/account/sessions");
        Assert.Contains("This device", page, StringComparison.Ordinal);
        var other = SessionIdPattern().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(other));
        await laptop.PostFormAsync("/account/sessions?handler=End", new() { ["id"] = other }, "/account/sessions");
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DataPage_DownloadsJsonAndReadableHtml_WithYourDecryptedText()
    {
        var person = await app.RegisterAsync("Download Canary Fern");
        using var pages = await app.SignInPagesAsync(person.Email);
        var json = await pages.Http.GetAsync("/privacy/data?handler=Json");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", json.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Download Canary Fern", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var html = await pages.Http.GetAsync("/privacy/data?handler=Readable");
        var text = await html.Content.ReadAsStringAsync();
        Assert.Contains("<h2>Account</h2>", text, StringComparison.Ordinal);
        Assert.Contains("Download Canary Fern", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletePage_NeedsPasswordAndConsent_ThenDeletesAndSignsOut()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var noTick = await pages.PostFormAsync("/privacy/delete", new() { ["Password"] = person.Password });
        Assert.Contains("Please tick the box", await noTick.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.OK);

        var delete = await pages.PostFormAsync("/privacy/delete", new() { ["Password"] = person.Password, ["Understood"] = "true" });
        Assert.Equal("/account/deleted", delete.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await pages.Http.GetAsync("/account")).StatusCode);
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ResetPassword_FromTheEmailedLink_SetsANewPassword_AndEndsEverySession()
    {
        var person = await app.RegisterAsync();
        using var pages = app.AnonymousPages();
        await pages.PostFormAsync("/account/forgot-password", new() { ["Email"] = person.Email });
        var link = new Uri(Mail.LinkIn(await app.MailAsync(person.Email, "Reset your Attune password")));
        var form = await pages.GetPageAsync(link.PathAndQuery);
        Assert.Contains("Choose a new password", form, StringComparison.Ordinal);
        var reset = await pages.PostFormAsync(link.PathAndQuery, new()
        {
            ["UserId"] = System.Web.HttpUtility.ParseQueryString(link.Query)["userId"]!,
            ["Code"] = System.Web.HttpUtility.ParseQueryString(link.Query)["code"]!,
            ["Password"] = "new morning over the hills",
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
        await app.SignInAsync(person.Email, "new morning over the hills");
    }

    [Fact]
    public async Task ProtectedPages_SendAnonymousVisitorsToSignIn()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/privacy/data");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_DoesNotListDemoAccounts_OutsideDemoMode()
    {
        using var client = app.CreateClient();
        var html = await (await client.GetAsync("/account/sign-in")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("demo.attune.local", html, StringComparison.Ordinal);
    }

    /// <summary>The messages shown to the person (the form itself echoes what they typed).</summary>
    private static string MainOf(string html) => Regex.Match(html, "<div class=\"form-errors\".*?</div>", RegexOptions.Singleline).Value;

    [GeneratedRegex("id=\"authenticator-key\">([a-z0-9 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("name=\"id\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex SessionIdPattern();
}

public sealed class DemoModeTests : IAsyncLifetime
{
    private readonly DemoApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private sealed class DemoApp() : AttuneApp(new Dictionary<string, string?> { ["Attune:Demo"] = "true" });

    [Fact]
    public async Task DemoMode_SeedsDemoPeople_ListsThemOnSignIn_AndTheyCanSignIn()
    {
        using var client = _app.CreateClient();
        var html = await (await client.GetAsync("/account/sign-in")).Content.ReadAsStringAsync();
        foreach (var (email, _, _) in Attune.Composition.DemoSeeder.People) Assert.Contains(email, html, StringComparison.Ordinal);
        var robin = await _app.SignInAsync("robin@demo.attune.local", Attune.Composition.DemoSeeder.Password);
        var me = await robin.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/me");
        Assert.Equal("Robin", me.GetProperty("displayName").GetString());
        var journey = await robin.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/journey");
        Assert.Equal("open", journey.GetProperty("phases")[1].GetProperty("status").GetString());
        var history = await robin.Api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/assessments/phq9/responses");
        Assert.Equal(3, history.GetProperty("items").GetArrayLength());
    }
}
