using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Assessments;

public sealed class CheckInApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task Instruments_AreListedWithItemsScalesAndSignsPatterns()
    {
        var person = await app.RegisterAsync();
        var list = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assessments");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["signs", "phq9", "gad7"], items.Select(i => i.GetProperty("code").GetString()));
        var signs = items[0];
        Assert.Equal(8, signs.GetProperty("patterns").GetArrayLength());
        Assert.Equal(4, signs.GetProperty("scale").GetArrayLength());
        Assert.Equal(24, signs.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ARespone_IsScored_Saved_AndListed_NewestFirst()
    {
        var person = await app.RegisterAsync();
        var first = await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 1, 1, 1, 1, 1, 0, 0 } });
        var body = JsonDocument.Parse(await Expect.StatusAsync(first, HttpStatusCode.Created)).RootElement;
        Assert.Equal(5, body.GetProperty("total").GetInt32());
        Assert.Equal("mild", body.GetProperty("band").GetString());
        Assert.False(body.GetProperty("safety").GetBoolean());
        Assert.StartsWith("/api/v1/assessments/gad7/responses/", first.Headers.Location?.OriginalString, StringComparison.Ordinal);
        await Expect.StatusAsync(await person.Api.GetAsync(first.Headers.Location!.OriginalString), HttpStatusCode.OK);

        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 3, 3, 3, 3, 3, 0, 0 } }), HttpStatusCode.Created);
        var history = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assessments/gad7/responses");
        Assert.Equal([15, 5], history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task Phq9_Item9AboveZero_AnswersSafetyTrue_AndNobodyIsTold()
    {
        var person = await app.RegisterAsync();
        await app.SettledAsync();
        var mailBefore = Mail.All(app.MailDirectory).Count;
        var response = await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1 } });
        var body = JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement;
        Assert.True(body.GetProperty("safety").GetBoolean());
        await app.SettledAsync();
        Assert.Equal(mailBefore, Mail.All(app.MailDirectory).Count);
    }

    [Fact]
    public async Task Signs_AnswersOneScorePerPattern()
    {
        var person = await app.RegisterAsync();
        var answers = Enumerable.Repeat(1, 24).ToArray();
        var body = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/signs/responses", new { answers }), HttpStatusCode.Created)).RootElement;
        var subscales = body.GetProperty("subscales");
        Assert.Equal(8, subscales.EnumerateObject().Count());
        Assert.All(subscales.EnumerateObject(), p => Assert.Equal(3, p.Value.GetInt32()));
    }

    [Fact]
    public async Task BadAnswers_AnswerAProblemNamingTheField_AndNothingIsSaved()
    {
        var person = await app.RegisterAsync();
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 2 } }), "answers");
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 0, 0, 7, 0, 0, 0, 0, 0, 0 } }), "answers[2]");
        await Expect.ProblemNamingAsync(await person.Api.PostAsync("/api/v1/assessments/phq9/responses", new StringContent("{\"answers\": [\"often\"]}", Encoding.UTF8, "application/json")), "answers[0]");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/nope/responses", new { answers = new[] { 1 } }), HttpStatusCode.NotFound);
        var history = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assessments/phq9/responses");
        Assert.Equal(0, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task SomeoneElse_CannotSeeYourCheckIns_InTheApiOrOnTheResultPage()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var created = JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 2, 2, 2, 2, 2, 2, 2 } }), HttpStatusCode.Created)).RootElement;
        var id = created.GetProperty("id").GetString();
        var theirs = await stranger.Api.GetFromJsonAsync<JsonElement>("/api/v1/assessments/gad7/responses");
        Assert.Equal(0, theirs.GetProperty("items").GetArrayLength());
        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/assessments/gad7/responses/{id}"), HttpStatusCode.NotFound);
        var mine = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/gad7/responses/{id}");
        Assert.Equal([2, 2, 2, 2, 2, 2, 2], mine.GetProperty("answers").EnumerateArray().Select(a => a.GetInt32()));
        await Expect.StatusAsync(await owner.Api.GetAsync($"/api/v1/assessments/phq9/responses/{id}"), HttpStatusCode.NotFound);

        using var strangerPages = await app.SignInPagesAsync(stranger.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerPages.Http.GetAsync($"/check-ins/gad7/results/{id}")).StatusCode);
        using var ownerPages = await app.SignInPagesAsync(owner.Email);
        Assert.Contains("14</strong> out of 21", await ownerPages.GetPageAsync($"/check-ins/gad7/results/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswersAndResults_AreStoredSealed_TheRawRowHoldsNoTotalBandOrItem9Flag()
    {
        var person = await app.RegisterAsync();
        var saved = await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 3, 2, 1, 0, 3, 2, 1, 0, 2 } });
        var result = JsonDocument.Parse(await Expect.StatusAsync(saved, HttpStatusCode.Created)).RootElement;
        Assert.Equal(14, result.GetProperty("total").GetInt32());
        Assert.True(result.GetProperty("safety").GetBoolean());
        var band = result.GetProperty("band").GetString()!;

        // The row as a copy of the database shows it, read with plain SQL: when, which instrument, and sealed bytes.
        var row = await app.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT * FROM \"CheckIns\" WHERE \"OwnerId\" = '" + person.Id + "'";
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                return Enumerable.Range(0, reader.FieldCount).ToDictionary(i => reader.GetName(i), i => reader.GetValue(i));
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });
        Assert.Equal(["Answers", "Id", "Instrument", "OwnerId", "TakenAt"], row.Keys.Order(StringComparer.Ordinal));
        var text = string.Join("|", row.Values.Select(v => v is byte[] b ? Encoding.Latin1.GetString(b) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(band, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[3,2,1,0", text, StringComparison.Ordinal);

        // Opened for the person: the same result, item-9 flag included, on the page, the API and the export.
        var mine = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/assessments/phq9/responses/{result.GetProperty("id").GetString()}");
        Assert.Equal(14, mine.GetProperty("total").GetInt32());
        Assert.True(mine.GetProperty("safety").GetBoolean());
        var export = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.Equal([3, 2, 1, 0, 3, 2, 1, 0, 2], export.GetProperty("checkIns")[0].GetProperty("answers").EnumerateArray().Select(a => a.GetInt32()));
        Assert.Equal(14, export.GetProperty("checkIns")[0].GetProperty("total").GetInt32());
    }
}

public sealed class CheckInPagesTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task TakingPhq9_WithItem9AboveZero_ShowsCrisisLinesAndTheSafetyPlan_AndTellsNobody()
    {
        var person = await app.RegisterAsync();
        await person.Api.PatchAsJsonAsync("/api/v1/me", new { country = "CA" });
        using var pages = await app.SignInPagesAsync(person.Email);
        var form = Enumerable.Range(0, 9).ToDictionary(i => $"answers[{i}]", i => i == 8 ? "2" : "1");
        await app.SettledAsync();
        var mailBefore = Mail.All(app.MailDirectory).Count;
        var post = await pages.PostFormAsync("/check-ins/phq9", form);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var result = await pages.GetPageAsync(post.Headers.Location!.OriginalString);
        Assert.Contains("Only you. Nobody has been told about it", result, StringComparison.Ordinal);
        Assert.Contains("No one in your circle can receive a reach yet", result, StringComparison.Ordinal);
        Assert.Contains("href=\"/safety-plan\"", result, StringComparison.Ordinal);
        Assert.Contains("9-8-8 Suicide Crisis Helpline", result, StringComparison.Ordinal);
        Assert.Contains("not a diagnosis", result, StringComparison.Ordinal);
        Assert.Contains("Pfizer", result, StringComparison.Ordinal);
        await app.SettledAsync();
        Assert.Equal(mailBefore, Mail.All(app.MailDirectory).Count);
    }

    [Fact]
    public async Task SignsResults_LinkEachPatternToThePracticesThatFit()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var form = Enumerable.Range(0, 24).ToDictionary(i => $"answers[{i}]", _ => "2");
        var post = await pages.PostFormAsync("/check-ins/signs", form);
        var html = await pages.GetPageAsync(post.Headers.Location!.OriginalString);
        Assert.Contains("Practices that fit:", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/practices/answer-the-critic\"", html, StringComparison.Ordinal);
        Assert.Contains("Fear of being left: 6 of 9 (often)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnansweredQuestion_KeepsTheFormWithAKindMessage_AndSavesNothing()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var form = Enumerable.Range(0, 6).ToDictionary(i => $"answers[{i}]", _ => "1");
        var post = await pages.PostFormAsync("/check-ins/gad7", form);
        Assert.Contains("One question still needs an answer", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var history = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assessments/gad7/responses");
        Assert.Equal(0, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task History_IsChartedPerInstrumentAndPerPattern()
    {
        var person = await app.RegisterAsync();
        for (var i = 0; i < 3; i++)
        {
            await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = Enumerable.Repeat(i, 7).ToArray() });
            await person.Api.PostAsJsonAsync("/api/v1/assessments/signs/responses", new { answers = Enumerable.Repeat(i, 24).ToArray() });
        }
        using var pages = await app.SignInPagesAsync(person.Email);
        var html = await pages.GetPageAsync("/check-ins");
        Assert.Contains("GAD-7 scores over time", html, StringComparison.Ordinal);
        Assert.Contains("Fear of being left over time", html, StringComparison.Ordinal);
        Assert.Equal(1 + 8, System.Text.RegularExpressions.Regex.Count(html, "<polyline"));
    }
}
