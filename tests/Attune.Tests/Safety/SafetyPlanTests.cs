using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Safety;

public sealed class SafetyPlanTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static object Plan(string canary) => new
    {
        warningSigns = new[] { "I stop answering messages", canary },
        copingStrategies = new[] { "walk by the river", "hot shower", "slow breathing" },
        distractions = new[] { "the library" },
        helpers = new[] { "Sam 555 0100" },
        professionals = new[] { "Dr. Lee 555 0199" },
        safeEnvironment = new[] { "give the spare keys to Sam" },
        reasonsToLive = new[] { "my dog Biscuit" },
    };

    [Fact]
    public async Task ANewPerson_HasAnEmptyPlan_ThenSavesOne_AndReadsItBack()
    {
        var person = await app.RegisterAsync();
        var empty = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan");
        Assert.Equal(0, empty.GetProperty("helpers").GetArrayLength());

        var put = await person.Api.PutAsJsonAsync("/api/v1/safety-plan", Plan("Plan Canary Heather"));
        var saved = JsonDocument.Parse(await Expect.StatusAsync(put, HttpStatusCode.OK)).RootElement;
        Assert.Equal(3, saved.GetProperty("copingStrategies").GetArrayLength());

        var read = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan");
        Assert.Equal("Plan Canary Heather", read.GetProperty("warningSigns")[1].GetString());
        Assert.Equal("my dog Biscuit", read.GetProperty("reasonsToLive")[0].GetString());
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("updatedAt").ValueKind);
    }

    [Fact]
    public async Task BadInput_AnswersAProblemNamingTheField_AndNothingIsHalfSaved()
    {
        var person = await app.RegisterAsync();
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", Plan("first version")), HttpStatusCode.OK);

        var tooMany = await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new { helpers = Enumerable.Range(0, 21).Select(i => "person " + i).ToArray(), copingStrategies = new[] { "changed" } });
        await Expect.ProblemNamingAsync(tooMany, "helpers");
        var tooLong = await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new { helpers = new[] { new string('x', 301) } });
        await Expect.ProblemNamingAsync(tooLong, "helpers[0]");
        var wrongType = await person.Api.PutAsync("/api/v1/safety-plan", new StringContent("{\"helpers\": \"not a list\"}", Encoding.UTF8, "application/json"));
        await Expect.ProblemNamingAsync(wrongType, "helpers");

        var read = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan");
        Assert.Equal("first version", read.GetProperty("warningSigns")[1].GetString());
        Assert.Equal(3, read.GetProperty("copingStrategies").GetArrayLength());
    }

    [Fact]
    public async Task ThePlan_IsStoredEncrypted()
    {
        const string canary = "Sealed Plan Canary Osprey";
        var person = await app.RegisterAsync();
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", Plan(canary)), HttpStatusCode.OK);
        var stored = await app.WithDbAsync(db => db.Database.SqlQuery<byte[]>($"SELECT \"Content\" AS \"Value\" FROM \"SafetyPlans\" WHERE \"OwnerId\" = {person.Id}").SingleAsync());
        Assert.True(stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)) < 0);
        Assert.True(stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes("Biscuit")) < 0);
    }

    [Fact]
    public async Task SomeoneElse_NeverSeesOrChangesYourPlan()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        await Expect.StatusAsync(await owner.Api.PutAsJsonAsync("/api/v1/safety-plan", Plan("Owner Plan Canary")), HttpStatusCode.OK);
        var theirs = await (await stranger.Api.GetAsync("/api/v1/safety-plan")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Owner Plan Canary", theirs, StringComparison.Ordinal);
        await Expect.StatusAsync(await stranger.Api.PutAsJsonAsync("/api/v1/safety-plan", Plan("Stranger wrote this")), HttpStatusCode.OK);
        var mine = await owner.Api.GetFromJsonAsync<JsonElement>("/api/v1/safety-plan");
        Assert.Equal("Owner Plan Canary", mine.GetProperty("warningSigns")[1].GetString());
    }

    [Fact]
    public async Task ThePlan_DownloadsAsAPdf_WithItsTextReadableInAnyScript()
    {
        var person = await app.RegisterAsync();
        await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "GB" });
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new
        {
            helpers = new[] { "Zoë on 07700 900123" },
            copingStrategies = new[] { "walk", "music", "Ελπίδα — a slow breath", "Привет, tea" },
            reasonsToLive = new[] { string.Join(' ', Enumerable.Repeat("a long reason that needs wrapping across the page", 6)) },
        }), HttpStatusCode.OK);
        using var pages = await app.SignInPagesAsync(person.Email);
        var fontsInstalled = File.Exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
        Assert.Equal(fontsInstalled, (await pages.GetPageAsync("/safety-plan")).Contains("Download as PDF", StringComparison.Ordinal));
        if (!fontsInstalled) return;

        var response = await pages.Http.GetAsync("/safety-plan?handler=Pdf");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-1.7", Encoding.ASCII.GetString(bytes, 0, 8));
        Assert.Contains("%%EOF", Encoding.ASCII.GetString(bytes[^10..]), StringComparison.Ordinal);

        if (!File.Exists("/usr/bin/pdftotext")) return; // poppler-utils; .ci/run installs it
        var file = Path.Combine(Environment.GetEnvironmentVariable("ATTUNE_KEEP_PDF") ?? app.DataDirectory, "plan.pdf");
        await File.WriteAllBytesAsync(file, bytes);
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pdftotext", $"\"{file}\" -") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("My safety plan", text, StringComparison.Ordinal);
        Assert.Contains("Zoë on 07700 900123", text, StringComparison.Ordinal);
        Assert.Contains("Ελπίδα — a slow breath", text, StringComparison.Ordinal);
        Assert.Contains("Привет, tea", text, StringComparison.Ordinal);
        Assert.Contains("Samaritans", text, StringComparison.Ordinal);
        Assert.Contains("Stanley-Brown", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATypicalPlan_IsOnePageUnder60KB_WithGreekCyrillicAndAccentedWordsReadBack()
    {
        if (!File.Exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")) return; // fonts-dejavu-core; .ci/run installs it
        var person = await app.RegisterAsync();
        await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "GB" });
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new
        {
            warningSigns = new[] { "I stop answering messages", "My chest goes tight at night", "I tell myself nobody would notice" },
            copingStrategies = new[] { "A hot shower and clean clothes", "Slow breathing: in for four, out for six", "Καλημέρα — the song Yiayia sang", "Чай с мёдом on the balcony" },
            distractions = new[] { "The café on the corner", "Walking the dog by the river", "Crosswords with Renée" },
            helpers = new[] { "Zoë on 07700 900123", "My brother José on 07700 900456" },
            professionals = new[] { "Dr Müller at the surgery, 020 7946 0018", "My therapist, Tuesdays" },
            safeEnvironment = new[] { "Give the spare tablets to José to keep", "Stay in the living room, not alone upstairs" },
            reasonsToLive = new[] { "My dog, Pepper", "Seeing my niece grow up", "The trip to Αθήνα next spring" },
        }), HttpStatusCode.OK);
        using var pages = await app.SignInPagesAsync(person.Email);
        var bytes = await (await pages.Http.GetAsync("/safety-plan?handler=Pdf")).Content.ReadAsByteArrayAsync();

        Assert.True(bytes.Length <= 60 * 1024, $"The plan's PDF is {bytes.Length:N0} bytes; a typical plan should stay under 60 KB.");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(Encoding.Latin1.GetString(bytes), @"/Type\s*/Page(?![a-z])"));
        if (!PdfText.Available) return;
        var text = PdfText.Extract(bytes);
        foreach (var words in new[] { "Καλημέρα", "Чай с мёдом", "Αθήνα", "Zoë", "café", "Renée", "Müller", "José" })
            Assert.Contains(words, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePages_EditAndShowThePlan_AndTheExportHasIt()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("Start my plan", await pages.GetPageAsync("/safety-plan"), StringComparison.Ordinal);
        var save = await pages.PostFormAsync("/safety-plan/edit", new()
        {
            ["warningSigns"] = "can't sleep\nskipping meals",
            ["copingStrategies"] = "music\nwalk\ncold water on my face",
            ["helpers"] = "Aunt June",
            ["reasonsToLive"] = "the garden",
        });
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        var view = await pages.GetPageAsync("/safety-plan");
        Assert.Contains("cold water on my face", view, StringComparison.Ordinal);
        Assert.Contains("Aunt June", view, StringComparison.Ordinal);
        Assert.Contains("Stanley-Brown", view, StringComparison.Ordinal);

        var export = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.Equal("the garden", export.GetProperty("safetyPlan").GetProperty("reasonsToLive")[0].GetString());
    }
}
