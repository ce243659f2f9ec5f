using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Attune.Features.Safety;
using Attune.Tests.Support;

namespace Attune.Tests.Performance;

/// <summary>
/// Pages read a person's name, time zone and country from a short-lived in-memory copy
/// (<see cref="Attune.Infrastructure.PersonProfiles"/>). A change shows on the very next page,
/// and one person's copy is never shown to anyone else.
/// </summary>
public sealed partial class PersonProfileCacheTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task A_changed_name_country_and_time_zone_show_on_the_next_page()
    {
        var person = await app.RegisterAsync("Alder");
        using var pages = await app.SignInPagesAsync(person.Email);
        var crisis = app.Service<CrisisResources>();
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "IE" }), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "A morning", text = "Tea by the window." }), HttpStatusCode.Created);

        Assert.Contains("Hello, Alder", await pages.GetPageAsync("/"), StringComparison.Ordinal);
        Assert.Contains("In " + crisis.Countries["IE"].Name, await pages.GetPageAsync("/grounding"), StringComparison.Ordinal);
        var (utc, shown) = FirstTime(await pages.GetPageAsync("/journal"));
        Assert.Equal(Local(utc, "UTC"), shown);

        // Through the API: the name and country.
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { displayName = "Alder Two", country = "US" }), HttpStatusCode.OK);
        Assert.Contains("Hello, Alder Two", await pages.GetPageAsync("/"), StringComparison.Ordinal);
        var grounding = await pages.GetPageAsync("/grounding");
        Assert.Contains("In " + crisis.Countries["US"].Name, grounding, StringComparison.Ordinal);
        Assert.DoesNotContain("In " + crisis.Countries["IE"].Name, grounding, StringComparison.Ordinal);

        // Through the profile page: the time zone.
        var saved = await pages.PostFormAsync("/account", new() { ["Input.DisplayName"] = "Alder Two", ["Input.TimeZone"] = "Asia/Tokyo", ["Input.Country"] = "US" });
        Assert.True(saved.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        (utc, shown) = FirstTime(await pages.GetPageAsync("/journal"));
        Assert.Equal(Local(utc, "Asia/Tokyo"), shown);
    }

    [Fact]
    public async Task One_persons_cached_profile_is_never_shown_to_another()
    {
        var crisis = app.Service<CrisisResources>();
        var people = new[] { (Name: "Birch", Country: "GB"), (Name: "Cedar", Country: "US") };
        var clients = new List<(string Name, string Country, PagesClient Pages)>();
        foreach (var (name, country) in people)
        {
            var person = await app.RegisterAsync(name);
            await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { country }), HttpStatusCode.OK);
            clients.Add((name, country, await app.SignInPagesAsync(person.Email)));
        }
        try
        {
            for (var round = 0; round < 3; round++)
                foreach (var (name, country, pages) in clients)
                {
                    var other = clients.Single(c => c.Name != name);
                    var today = await pages.GetPageAsync("/");
                    Assert.Contains($"Hello, {name}", today, StringComparison.Ordinal);
                    Assert.DoesNotContain($"Hello, {other.Name}", today, StringComparison.Ordinal);
                    var grounding = await pages.GetPageAsync("/grounding");
                    Assert.Contains("In " + crisis.Countries[country].Name, grounding, StringComparison.Ordinal);
                    Assert.DoesNotContain("In " + crisis.Countries[other.Country].Name, grounding, StringComparison.Ordinal);
                }
        }
        finally
        {
            foreach (var c in clients) c.Pages.Dispose();
        }
    }

    private static (DateTimeOffset Utc, string Shown) FirstTime(string html)
    {
        var m = TimeElement().Match(html);
        Assert.True(m.Success, html);
        return (DateTimeOffset.Parse(System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), System.Globalization.CultureInfo.InvariantCulture), System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    private static string Local(DateTimeOffset at, string zone) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("<time datetime=\"([^\"]+)\">([^<]+)</time>")]
    private static partial Regex TimeElement();
}
