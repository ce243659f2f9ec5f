using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Safety;
using Attune.Tests.Support;

namespace Attune.Tests.Safety;

public sealed class CrisisResourcesTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    public static TheoryData<string> RequiredCountries => new() { "US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "ES", "IN" };

    [Theory]
    [MemberData(nameof(RequiredCountries))]
    public void EveryRequiredCountry_HasACompleteEntry(string code)
    {
        var crisis = new CrisisResources();
        Assert.True(crisis.Countries.TryGetValue(code, out var region), $"{code} is missing");
        AssertComplete(code, region!);
    }

    [Fact]
    public void EveryCountryInTheFile_AndTheFallback_IsComplete()
    {
        var crisis = new CrisisResources();
        foreach (var (code, region) in crisis.Countries)
        {
            Assert.Matches("^[A-Z]{2}$", code);
            AssertComplete(code, region);
        }
        AssertComplete("international", crisis.International);
    }

    private static void AssertComplete(string code, CrisisRegion region)
    {
        Assert.False(string.IsNullOrWhiteSpace(region.Name), $"{code}: name");
        Assert.False(string.IsNullOrWhiteSpace(region.Emergency), $"{code}: emergency number");
        Assert.NotEmpty(region.Services);
        foreach (var s in region.Services)
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Name), $"{code}: a service has no name");
            Assert.False(string.IsNullOrWhiteSpace(s.About), $"{code}/{s.Name}: about");
            Assert.False(string.IsNullOrWhiteSpace(s.Hours), $"{code}/{s.Name}: hours");
            Assert.True(s.Phone is not null || s.Text is not null || s.Chat is not null, $"{code}/{s.Name}: no way to reach it");
            if (s.Chat is not null) Assert.StartsWith("https://", s.Chat, StringComparison.Ordinal);
            // Where each entry comes from (the service's own site) and when it was last checked against it.
            Assert.StartsWith("https://", s.Source, StringComparison.Ordinal);
            Assert.Matches("^20[0-9]{2}-(0[1-9]|1[0-2])$", s.Checked);
        }
    }

    [Fact]
    public async Task TheCrisisLinesPage_PutsMyCountryFirst_ListsEveryOther_SaysWhereEachComesFrom_AndLeavesOperatorNotesToTheDocs()
    {
        var person = await app.RegisterAsync();
        await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "NZ" });
        using var pages = await app.SignInPagesAsync(person.Email);
        var html = await pages.GetPageAsync("/help");
        var own = html.IndexOf("In New Zealand", StringComparison.Ordinal);
        Assert.True(own > 0 && own < html.IndexOf("Lines in other countries", StringComparison.Ordinal), "New Zealand's lines come first");
        foreach (var region in new CrisisResources().Countries.Values.Where(r => r.Name != "New Zealand"))
            Assert.Contains($"<summary>{System.Net.WebUtility.HtmlEncode(region.Name)}</summary>", html, StringComparison.Ordinal);
        Assert.Contains("checked November 2026", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://1737.org.nz\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Anyone running Attune", html, StringComparison.Ordinal);
        Assert.Contains("Anyone running Attune should check each entry", await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "crisis-lines.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_AnswersTheAskedCountry_TheProfileCountry_OrTheFallback()
    {
        var person = await app.RegisterAsync();
        var ie = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/crisis-resources?country=ie");
        Assert.True(ie.GetProperty("found").GetBoolean());
        Assert.Equal("Ireland", ie.GetProperty("local").GetProperty("name").GetString());
        Assert.NotEmpty(ie.GetProperty("international").GetProperty("services").EnumerateArray());

        var unknown = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/crisis-resources?country=ZZ");
        Assert.False(unknown.GetProperty("found").GetBoolean());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("local").ValueKind);
        Assert.NotEmpty(unknown.GetProperty("international").GetProperty("services").EnumerateArray());

        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "NZ" }), HttpStatusCode.OK);
        var mine = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/crisis-resources");
        Assert.Equal("New Zealand", mine.GetProperty("local").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/grounding")]
    [InlineData("/help")]
    public async Task GroundingAndCrisisLines_OpenWithoutSigningIn_AndSayAttuneIsNotACrisisService(string path)
    {
        using var client = app.CreateClient();
        var html = await Expect.StatusAsync(await client.GetAsync(path + "?country=AU"), HttpStatusCode.OK);
        Assert.Contains("Attune is not a crisis service", html, StringComparison.Ordinal);
        Assert.Contains("13 11 14", html, StringComparison.Ordinal);
        Assert.Contains("Find A Helpline", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroundingPage_HasSensesBreathingAndSafePlace()
    {
        using var client = app.CreateClient();
        var html = await Expect.StatusAsync(await client.GetAsync("/grounding"), HttpStatusCode.OK);
        Assert.Contains("5, 4, 3, 2, 1", html, StringComparison.Ordinal);
        Assert.Contains("Breathe slowly", html, StringComparison.Ordinal);
        Assert.Contains("safe place", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInPerson_SeesTheirOwnCountrysLines()
    {
        var person = await app.RegisterAsync();
        await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "DE" });
        using var pages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("TelefonSeelsorge", await pages.GetPageAsync("/grounding"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/sign-in")]
    [InlineData("/account/register")]
    [InlineData("/privacy")]
    public async Task EveryPage_HasGroundingAndQuickExitOneTapAway(string path)
    {
        using var client = app.CreateClient();
        var html = await Expect.StatusAsync(await client.GetAsync(path), HttpStatusCode.OK);
        Assert.Contains("href=\"/grounding\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"quick-exit\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/help\"", html, StringComparison.Ordinal);
    }
}
