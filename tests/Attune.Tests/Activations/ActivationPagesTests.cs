using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Activations;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Activations;

public sealed class ActivationPagesTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    private Task<List<Activation>> RowsAsync(Person person) =>
        app.WithDbAsync(db => db.Set<Activation>().AsNoTracking().Include(a => a.Patterns).Where(a => a.OwnerId == person.Id).ToListAsync());

    [Fact]
    public async Task TheQuickForm_LogsAReaction_AndOffersAPractice()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var response = await pages.PostFormAsync("/activations/new",
        [
            F("situation", "My sister cancelled our plans"), F("intensity", "7"), F("emotions", "lonely"), F("emotions", "hurt"), F("otherEmotions", "forgotten, tired"),
            F("feltAge", "9"), F("patterns", "abandonment"), F("bodyRegions", "front:chest"), F("needed", "To matter"), F("response", "Called a friend"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches("^/activations/[0-9a-f-]{36}\\?logged=true$", location);
        var page = await pages.GetPageAsync(location);
        Assert.Contains("My sister cancelled our plans", page);
        Assert.Contains("lonely, hurt, forgotten, tired", page);
        Assert.Contains("Something that might help", page);

        var row = Assert.Single(await RowsAsync(person));
        Assert.Equal((7, 9), (row.Intensity, row.FeltAge));
        Assert.Equal(["abandonment"], row.Patterns.Select(p => p.Pattern));

        // Changing it through its edit page.
        var edit = await pages.PostFormAsync($"/activations/{row.Id}/edit", [F("situation", "Plans cancelled, and I coped"), F("intensity", "4"), F("feltAge", "unsure")]);
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        row = Assert.Single(await RowsAsync(person));
        Assert.Equal((4, (int?)null), (row.Intensity, row.FeltAge));
        Assert.Empty(row.Patterns);
    }

    [Fact]
    public async Task TheQuickForm_ExplainsWhatIsMissing_AndSavesNothing()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var response = await pages.PostFormAsync("/activations/new", [F("situation", ""), F("feltAge", "9")]);
        var body = await Expect.StatusAsync(response, HttpStatusCode.OK);
        Assert.Contains("Please say in a few words what happened.", body);
        Assert.Contains("Please choose how strong it was, from 0 to 10.", body);
        Assert.Contains("value=\"9\" selected=\"selected\"", body);
        Assert.Empty(await RowsAsync(person));
    }

    [Fact]
    public async Task TheMomentFlow_SavesWhatWasChosen_AndLeadsOn()
    {
        var person = await app.RegisterAsync();
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new
        {
            warningSigns = Array.Empty<string>(),
            copingStrategies = Array.Empty<string>(),
            distractions = Array.Empty<string>(),
            helpers = new[] { "Aunt June 555 0101" },
            professionals = Array.Empty<string>(),
            safeEnvironment = Array.Empty<string>(),
            reasonsToLive = Array.Empty<string>(),
        }), HttpStatusCode.OK);
        using var pages = await app.SignInPagesAsync(person.Email);

        var write = await pages.PostFormAsync("/moment", [F("situation", "Argument at dinner"), F("intensity", "8"), F("feltAge", "8"), F("needs", "comfort"), F("otherNeed", "a hug"), F("patterns", "reactions"), F("choice", "write")]);
        Assert.Equal(HttpStatusCode.Redirect, write.StatusCode);
        var letterUrl = write.Headers.Location!.OriginalString;
        Assert.StartsWith("/journal/new/letter?activation=", letterUrl, StringComparison.Ordinal);
        var editor = await pages.GetPageAsync(letterUrl);
        Assert.Contains("id=\"letter-age\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"18\" value=\"8\"", editor);
        var row = Assert.Single(await RowsAsync(person));
        Assert.Equal(("write", 8, 8), (row.Choice, row.Intensity, row.FeltAge));
        Assert.Contains(row.Id.ToString(), editor);
        var saved = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/activations/{row.Id}");
        Assert.Equal("comfort, a hug", saved.GetProperty("needed").GetString());

        var reach = await pages.PostFormAsync("/moment", [F("situation", "Scary phone call"), F("intensity", "9"), F("choice", "reach")]);
        var reachUrl = reach.Headers.Location!.OriginalString;
        Assert.EndsWith("?next=reach", reachUrl, StringComparison.Ordinal);
        var reachPage = await pages.GetPageAsync(reachUrl);
        Assert.Contains("Aunt June 555 0101", reachPage);
        Assert.Contains("crisis", reachPage, StringComparison.OrdinalIgnoreCase);

        var soothe = await pages.PostFormAsync("/moment", [F("situation", "Loud noise"), F("intensity", "6"), F("choice", "soothe")]);
        Assert.Equal("/grounding?from=moment", soothe.Headers.Location!.OriginalString);

        var none = await pages.PostFormAsync("/moment", [F("situation", "Not sure what next"), F("intensity", "6")]);
        Assert.Contains("Please choose what you&#x27;d like to do next.", await Expect.StatusAsync(none, HttpStatusCode.OK));
        Assert.Equal(3, (await RowsAsync(person)).Count);
    }

    [Fact]
    public async Task SomeoneElsesReaction_Answers404_OnEveryPage()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var created = await owner.Api.PostAsJsonAsync("/api/v1/activations", new { situation = "Owner's own moment", intensity = 5 });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var pages = await app.SignInPagesAsync(stranger.Email);
        await Expect.StatusAsync(await pages.Http.GetAsync($"/activations/{id}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await pages.Http.GetAsync($"/activations/{id}/edit"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await pages.PostFormAsync($"/activations/{id}?handler=Delete", [], formPage: "/activations"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await pages.PostFormAsync($"/activations/{id}/edit", [F("situation", "Taken over"), F("intensity", "1")], formPage: "/activations/new"), HttpStatusCode.NotFound);
        var editor = await pages.GetPageAsync($"/journal/new/letter?activation={id}");
        Assert.Contains("data-activation=\"\"", editor);
        var read = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/activations/{id}");
        Assert.Equal("Owner's own moment", read.GetProperty("situation").GetString());
    }

    [Fact]
    public async Task InsightsAndTheReport_ShowChartsWithTables()
    {
        var person = await app.RegisterAsync();
        foreach (var (intensity, pattern) in new[] { (8, "critic"), (6, "critic"), (3, "needs") })
            await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { situation = "x", intensity, feltAge = 6, patterns = new[] { pattern } }), HttpStatusCode.Created);
        using var pages = await app.SignInPagesAsync(person.Email);
        var insights = await pages.GetPageAsync("/insights?range=4w");
        Assert.Contains("You logged 3 reactions in the last 4 weeks, with an average intensity of 5.7 out of 10.", insights);
        Assert.Contains("role=\"img\"", insights);
        Assert.Contains("<td>A harsh inner critic</td><td>2</td><td>7.0</td>", insights);
        Assert.Contains("aria-current=\"page\"", insights);

        var report = await pages.GetPageAsync("/insights/report?range=4w");
        Assert.Contains("Your journey", report);
        var pdf = await pages.Http.GetAsync("/insights/report?range=4w&handler=Pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Contains("You logged 3 reactions", PdfText.Extract(await pdf.Content.ReadAsByteArrayAsync()));

        var bad = await pages.Http.GetAsync("/insights?range=forever");
        Assert.Contains("The range can be 4w, 3m, 1y or all.", await Expect.StatusAsync(bad, HttpStatusCode.OK));
    }
}
