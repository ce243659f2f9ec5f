using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Tests.Support;

namespace Attune.Tests.Account;

/// <summary>
/// Issue 24: how Attune looks is the person's choice ("system" follows the device, "light", "dark"),
/// kept on the account, read and changed through <c>/api/v1/me</c> and the profile page, and set by
/// the layout on every page (<c>&lt;html data-theme&gt;</c> and the color-scheme meta). Storage: runs on
/// SQLite and PostgreSQL both.
/// </summary>
public sealed partial class ThemeTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task Theme_StartsMatchingTheDevice_ThenAChoiceIsSavedReadBack_AndShownOnTheNextPage()
    {
        var person = await app.RegisterAsync("Hazel");
        using var pages = await app.SignInPagesAsync(person.Email);
        var me = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("system", me.GetProperty("theme").GetString());
        var today = await pages.GetPageAsync("/");
        Assert.Null(ThemeOf(today));
        Assert.Equal("light dark", ColorSchemeOf(today));

        var dark = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { theme = "dark" }), HttpStatusCode.OK)).RootElement;
        Assert.Equal("dark", dark.GetProperty("theme").GetString());
        Assert.Equal("dark", (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("theme").GetString());
        // The profile was cached by the page above: the change shows on the very next one.
        today = await pages.GetPageAsync("/");
        Assert.Equal("dark", ThemeOf(today));
        Assert.Equal("dark", ColorSchemeOf(today));
        Assert.Contains("<meta name=\"theme-color\" content=\"#17201d\">", today, StringComparison.Ordinal);

        // Changing something else leaves the theme as it is.
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "IE" }), HttpStatusCode.OK);
        Assert.Equal("dark", (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("theme").GetString());

        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { theme = "system" }), HttpStatusCode.OK);
        Assert.Null(ThemeOf(await pages.GetPageAsync("/")));
    }

    [Fact]
    public async Task Theme_ChosenOnTheProfilePage_IsCheckedThere_AndSetOnThePage()
    {
        var person = await app.RegisterAsync("Linden");
        using var pages = await app.SignInPagesAsync(person.Email);
        var form = await pages.GetPageAsync("/account");
        Assert.Contains("<legend>How Attune looks</legend>", form, StringComparison.Ordinal);
        Assert.Equal("system", CheckedThemeOf(form));

        var saved = await pages.PostFormAsync("/account", new() { ["Input.DisplayName"] = "Linden", ["Input.TimeZone"] = "UTC", ["Input.Theme"] = "light" });
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        form = await pages.GetPageAsync("/account");
        Assert.Equal("light", CheckedThemeOf(form));
        Assert.Equal("light", ThemeOf(form));
        Assert.Equal("light", ColorSchemeOf(form));
        Assert.Equal("light", (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("theme").GetString());

        // A form that doesn't send the field (an older page) keeps the choice.
        saved = await pages.PostFormAsync("/account", new() { ["Input.DisplayName"] = "Linden", ["Input.TimeZone"] = "UTC" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("light", (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("theme").GetString());
    }

    [Theory]
    [InlineData("{\"theme\": \"purple\", \"displayName\": \"After\"}")]
    [InlineData("{\"theme\": \"Dark\", \"displayName\": \"After\"}")]
    [InlineData("{\"theme\": \"\", \"displayName\": \"After\"}")]
    [InlineData("{\"theme\": 2, \"displayName\": \"After\"}")]
    public async Task Theme_NotOneOfTheThree_AnswersA400NamingTheField_AndNothingIsSaved(string json)
    {
        var person = await app.RegisterAsync("Before");
        var response = await person.Api.PatchAsync("/api/v1/me", new StringContent(json, Encoding.UTF8, "application/json"));
        await Expect.ProblemNamingAsync(response, "theme");
        var me = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("system", me.GetProperty("theme").GetString());
        Assert.Equal("Before", me.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Theme_NotOneOfTheThree_OnTheProfilePage_IsABadRequest_WithTheMessageBesideTheChoice()
    {
        var person = await app.RegisterAsync("Rowan");
        using var pages = await app.SignInPagesAsync(person.Email);
        var response = await pages.PostFormAsync("/account", new() { ["Input.DisplayName"] = "Rowan", ["Input.TimeZone"] = "UTC", ["Input.Theme"] = "neon" });
        var html = await Expect.StatusAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Please choose how Attune looks", html, StringComparison.Ordinal);
        Assert.Equal("system", (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("theme").GetString());
    }

    [Fact]
    public async Task Theme_SomeoneElse_CannotChangeIt_TheirChoiceIsTheirOwn()
    {
        var owner = await app.RegisterAsync("Owner");
        var stranger = await app.RegisterAsync("Stranger");
        await Expect.StatusAsync(await owner.Api.PatchAsJsonAsync("/api/v1/me", new { theme = "light" }), HttpStatusCode.OK);
        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        Assert.Equal("light", ThemeOf(await ownerPages.GetPageAsync("/")));

        // /api/v1/me only ever means the caller: a stranger's change, even naming the owner, is their own.
        await Expect.StatusAsync(await stranger.Api.PatchAsJsonAsync("/api/v1/me", new { id = owner.Id, theme = "dark" }), HttpStatusCode.OK);
        await Expect.StatusAsync(await stranger.Api.PatchAsJsonAsync($"/api/v1/me?userId={owner.Id}", new { theme = "dark" }), HttpStatusCode.OK);
        Assert.Equal("dark", (await stranger.Api.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("theme").GetString());
        Assert.Equal("light", (await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("theme").GetString());
        Assert.Equal("light", ThemeOf(await ownerPages.GetPageAsync("/")));

        using var anonymous = app.CreateClient();
        await Expect.StatusAsync(await anonymous.PatchAsJsonAsync("/api/v1/me", new { theme = "dark" }), HttpStatusCode.Unauthorized);
        // A signed-out page follows the device.
        using var signedOut = app.AnonymousPages();
        Assert.Null(ThemeOf(await signedOut.GetPageAsync("/account/sign-in")));
    }

    private static string? ThemeOf(string html) => HtmlTheme().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    private static string ColorSchemeOf(string html) => ColorSchemeMeta().Match(html).Groups[1].Value;

    private static string CheckedThemeOf(string html)
    {
        var radios = RadioTag().Matches(html).Select(m => m.Value).ToList();
        Assert.Equal(3, radios.Count);
        var tag = Assert.Single(radios, tag => tag.Contains("checked", StringComparison.Ordinal));
        return Regex.Match(tag, "value=\"([a-z]+)\"").Groups[1].Value;
    }

    [GeneratedRegex("<html[^>]*\\sdata-theme=\"([^\"]*)\"")]
    private static partial Regex HtmlTheme();

    [GeneratedRegex("<meta name=\"color-scheme\" content=\"([^\"]*)\">")]
    private static partial Regex ColorSchemeMeta();

    [GeneratedRegex("<input[^>]*name=\"Input.Theme\"[^>]*>")]
    private static partial Regex RadioTag();
}
