using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Features.Activations;
using Attune.Features.Journey;
using Attune.Tests.Privacy;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Activations;

public sealed class ActivationApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static async Task<JsonElement> LogAsync(Person person, object body)
    {
        var response = await person.Api.PostAsJsonAsync("/api/v1/activations", body);
        var json = JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement;
        Assert.Equal($"/api/v1/activations/{json.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        return json;
    }

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    private async Task<int> CountAsync(Person person) =>
        await app.WithDbAsync(db => db.Set<Activation>().CountAsync(a => a.OwnerId == person.Id));

    [Fact]
    public async Task AnActivation_IsLoggedReadChangedListedAndDeleted()
    {
        var person = await app.RegisterAsync();
        var created = await LogAsync(person, new
        {
            situation = "Review meeting ran long",
            reaction = "Went quiet",
            emotions = new[] { "anxious", "small", "a bit sick" },
            intensity = 7,
            feltAge = 8,
            bodyRegions = new[] { "front:chest", "front:belly" },
            patterns = new[] { "critic", "reactions" },
            needed = "To hear I was doing fine",
            response = "Breathed, then a walk",
        });
        var id = Id(created);
        Assert.Equal(7, created.GetProperty("intensity").GetInt32());
        Assert.True(created.GetProperty("suggestion").TryGetProperty("slug", out _), "Logging offers a practice");

        var read = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/activations/{id}");
        Assert.Equal("Review meeting ran long", read.GetProperty("situation").GetString());
        Assert.Equal(["anxious", "small", "a bit sick"], read.GetProperty("emotions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["critic", "reactions"], read.GetProperty("patterns").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(8, read.GetProperty("feltAge").GetInt32());
        Assert.Equal(["front:chest", "front:belly"], read.GetProperty("bodyRegions").EnumerateArray().Select(e => e.GetString()));

        var changed = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/activations/{id}",
            new { situation = "Review meeting", intensity = 4, feltAge = (int?)null, patterns = new[] { "critic", "doubt" } }), HttpStatusCode.OK)).RootElement;
        Assert.Equal(4, changed.GetProperty("intensity").GetInt32());
        var again = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/activations/{id}");
        Assert.Equal(["critic", "doubt"], again.GetProperty("patterns").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(JsonValueKind.Null, again.GetProperty("feltAge").ValueKind);
        Assert.Equal(created.GetProperty("occurredAt").GetDateTimeOffset(), again.GetProperty("occurredAt").GetDateTimeOffset());

        await LogAsync(person, new { situation = "Second", intensity = 2, patterns = new[] { "needs" } });
        var list = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/activations");
        Assert.Equal(["Second", "Review meeting"], list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("situation").GetString()));
        var critic = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/activations?pattern=critic");
        Assert.Equal([id], critic.GetProperty("items").EnumerateArray().Select(Id));
        var page = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/activations?limit=1");
        Assert.Single(page.GetProperty("items").EnumerateArray());
        var next = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/activations?limit=1&cursor={Uri.EscapeDataString(page.GetProperty("next").GetString()!)}");
        Assert.Equal([id], next.GetProperty("items").EnumerateArray().Select(Id));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("next").ValueKind);

        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/activations/{id}"), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await person.Api.GetAsync($"/api/v1/activations/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ActivationPattern>().CountAsync(p => p.ActivationId == Guid.Parse(id))));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"intensity":5}""", "situation" },
        { """{"situation":"  ","intensity":5}""", "situation" },
        { """{"situation":"x"}""", "intensity" },
        { """{"situation":"x","intensity":11}""", "intensity" },
        { """{"situation":"x","intensity":-1}""", "intensity" },
        { """{"situation":"x","intensity":"high"}""", "intensity" },
        { """{"situation":"x","intensity":5,"feltAge":19}""", "feltAge" },
        { """{"situation":"x","intensity":5,"feltAge":-1}""", "feltAge" },
        { """{"situation":"x","intensity":5,"patterns":["critic","nope"]}""", "patterns[1]" },
        { """{"situation":"x","intensity":5,"bodyRegions":["front:tail"]}""", "bodyRegions[0]" },
        { """{"situation":"x","intensity":5,"emotions":[""]}""", "emotions[0]" },
        { """{"situation":"x","intensity":5,"choice":"dance"}""", "choice" },
        { """{"situation":"x","intensity":5,"occurredAt":"2099-01-01T00:00:00Z"}""", "occurredAt" },
        { """{"situation":"x","intensity":5,"occurredAt":"2001-01-01T00:00:00Z"}""", "occurredAt" },
        { "{\"situation\":\"" + new string('x', 2001) + "\",\"intensity\":5}", "situation" },
        { "{\"situation\":\"x\",\"intensity\":5,\"emotions\":[" + string.Join(',', Enumerable.Range(0, 21).Select(i => $"\"w{i}\"")) + "]}", "emotions" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInput_Answers400NamingTheField_AndSavesNothing(string body, string field)
    {
        var person = await app.RegisterAsync();
        await Expect.ProblemNamingAsync(await person.Api.PostAsync("/api/v1/activations", new StringContent(body, Encoding.UTF8, "application/json")), field);
        Assert.Equal(0, await CountAsync(person));

        // A bad change leaves the activation as it was.
        var id = Id(await LogAsync(person, new { situation = "Stays the same", intensity = 3, patterns = new[] { "needs" } }));
        await Expect.ProblemNamingAsync(await person.Api.PutAsync($"/api/v1/activations/{id}", new StringContent(body, Encoding.UTF8, "application/json")), field);
        var read = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/activations/{id}");
        Assert.Equal("Stays the same", read.GetProperty("situation").GetString());
        Assert.Equal(3, read.GetProperty("intensity").GetInt32());
        Assert.Equal(["needs"], read.GetProperty("patterns").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("/api/v1/activations?from=2026-05-02&to=2026-05-01", "from")]
    [InlineData("/api/v1/activations?from=yesterday", "from")]
    [InlineData("/api/v1/activations?pattern=nope", "pattern")]
    [InlineData("/api/v1/activations?limit=0", "limit")]
    [InlineData("/api/v1/activations?cursor=nonsense", "cursor")]
    [InlineData("/api/v1/insights/activations?from=2026-05-02&to=2026-05-01", "from")]
    [InlineData("/api/v1/insights/activations?from=2010-01-01&to=2026-01-01", "from")]
    [InlineData("/api/v1/insights/activations?to=31-12-2025", "to")]
    [InlineData("/api/v1/insights/activations?range=5y", "range")]
    [InlineData("/api/v1/insights/report?range=5y", "range")]
    public async Task BadFilters_Answer400NamingTheField(string url, string field)
    {
        var person = await app.RegisterAsync();
        await Expect.ProblemNamingAsync(await person.Api.GetAsync(url), field);
    }

    [Fact]
    public async Task SomeoneElsesActivations_Answer404_AndAreLeftOutOfListsAndInsights()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var id = Id(await LogAsync(owner, new { situation = "Mine alone", intensity = 6, patterns = new[] { "critic" } }));

        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/activations/{id}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PutAsJsonAsync($"/api/v1/activations/{id}", new { situation = "Taken", intensity = 1 }), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.DeleteAsync($"/api/v1/activations/{id}"), HttpStatusCode.NotFound);
        Assert.Empty((await stranger.Api.GetFromJsonAsync<JsonElement>("/api/v1/activations")).GetProperty("items").EnumerateArray());
        var insights = await stranger.Api.GetFromJsonAsync<JsonElement>("/api/v1/insights/activations?range=all");
        Assert.Equal(0, insights.GetProperty("count").GetInt32());
        Assert.Empty(insights.GetProperty("patterns").EnumerateArray());

        // A journal entry can't be linked to someone else's activation either.
        await Expect.ProblemNamingAsync(await stranger.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "x", activationId = id }), "activationId");

        var read = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/activations/{id}");
        Assert.Equal("Mine alone", read.GetProperty("situation").GetString());
        Assert.Equal(6, read.GetProperty("intensity").GetInt32());
    }

    [Fact]
    public async Task TheDatabase_HoldsNoPlaintext_OfWhatWasWritten()
    {
        const string canary = "Activation Canary Heron 7731";
        var person = await app.RegisterAsync();
        await LogAsync(person, new
        {
            situation = $"{canary} situation",
            reaction = $"{canary} reaction",
            emotions = new[] { $"{canary} word" },
            intensity = 5,
            needed = $"{canary} needed",
            response = $"{canary} response",
            patterns = new[] { "boundaries" },
        });
        if (!app.IsPostgres)
        {
            foreach (var file in new[] { app.SqliteFile, app.SqliteFile + "-wal" })
                Assert.False(PrivacyApiTests.FileContains(file, Encoding.UTF8.GetBytes("Canary Heron")), $"{file} holds activation text");
        }
        else
        {
            Assert.Equal(0, await app.WithDbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM \"Activations\" WHERE position(convert_to('Canary Heron', 'UTF8') in \"Content\") > 0").SingleAsync()));
        }
        var export = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.Equal($"{canary} situation", export.GetProperty("activations")[0].GetProperty("situation").GetString());
    }

    [Fact]
    public async Task ALetter_CanBeLinkedToTheActivationItWasWrittenFrom()
    {
        var person = await app.RegisterAsync();
        var id = Id(await LogAsync(person, new { situation = "Left out of plans", intensity = 6, feltAge = 9 }));
        var letter = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal",
            new { kind = "letter", text = "Dear nine-year-old me", activationId = id, letter = new { direction = "toYounger", age = 9 } }), HttpStatusCode.Created)).RootElement;
        Assert.Equal(id, letter.GetProperty("activationId").GetString());
    }

    [Fact]
    public async Task Suggestions_FitThePattern_AndOnlyOfferWhatIsOpen()
    {
        var person = await app.RegisterAsync();
        // A newcomer has only part 1 open: the critic's practices are later, so the grounding kit is offered.
        var first = await LogAsync(person, new { situation = "Harsh inner voice", intensity = 5, patterns = new[] { "critic" } });
        Assert.Equal("grounding-toolkit", first.GetProperty("suggestion").GetProperty("slug").GetString());

        await app.WithDbAsync(async db =>
        {
            for (var phase = 2; phase <= 4; phase++) db.Add(new PhaseOverride { OwnerId = person.Id, Phase = phase, Open = true });
            return await db.SaveChangesAsync();
        });
        var reactions = await LogAsync(person, new { situation = "Snapped at a friend", intensity = 8, patterns = new[] { "reactions" } });
        Assert.Equal("catch-it-in-the-moment", reactions.GetProperty("suggestion").GetProperty("slug").GetString());
        var critic = await LogAsync(person, new { situation = "Harsh inner voice again", intensity = 5, patterns = new[] { "critic" } });
        Assert.Equal("reparenting-words", critic.GetProperty("suggestion").GetProperty("slug").GetString());
    }

    private sealed record Logged(DateTimeOffset At, int Intensity, int? Age, string[] Patterns);

    [Fact]
    public async Task Insights_MatchAggregatesComputedIndependently()
    {
        var person = await app.RegisterAsync();
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "America/New_York" }), HttpStatusCode.OK);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var random = new Random(20261122);
        string[] codes = ["reactions", "pleasing", "critic", "sabotage", "needs", "doubt", "boundaries", "abandonment"];
        var now = app.Clock.GetUtcNow();
        var logged = new List<Logged>();
        for (var n = 0; n < 160; n++)
        {
            var at = now.AddMinutes(-random.Next(1, 200 * 24 * 60));
            var age = random.Next(0, 4) == 0 ? (int?)null : random.Next(0, 19);
            var chosen = codes.Where(_ => random.Next(0, 4) == 0).ToArray();
            var item = new Logged(at, random.Next(0, 11), age, chosen);
            logged.Add(item);
            await LogAsync(person, new { situation = $"Moment {n}", intensity = item.Intensity, feltAge = item.Age, patterns = item.Patterns, occurredAt = item.At });
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var from = today.AddDays(-150);
        var json = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/insights/activations?from={from:yyyy-MM-dd}&to={today:yyyy-MM-dd}");

        DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var inside = logged.Where(l => DateOnly.FromDateTime(Local(l.At)) >= from && DateOnly.FromDateTime(Local(l.At)) <= today).ToList();
        Assert.True(inside.Count is > 50 and < 160, "Some fall outside the period, so the filter is tested too");
        static double R(double v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);

        Assert.Equal(inside.Count, json.GetProperty("count").GetInt32());
        Assert.Equal(R(inside.Average(l => l.Intensity)), json.GetProperty("meanIntensity").GetDouble());

        var patterns = json.GetProperty("patterns").EnumerateArray().ToDictionary(p => p.GetProperty("code").GetString()!, p => (Count: p.GetProperty("count").GetInt32(), Mean: p.GetProperty("meanIntensity").GetDouble()));
        var expectedPatterns = inside.SelectMany(l => l.Patterns.Select(p => (p, l.Intensity))).GroupBy(x => x.p).ToDictionary(g => g.Key, g => (Count: g.Count(), Mean: R(g.Average(x => x.Intensity))));
        Assert.Equal(expectedPatterns.OrderBy(kv => kv.Key), patterns.OrderBy(kv => kv.Key));

        var ages = json.GetProperty("feltAges").EnumerateArray().ToDictionary(a => a.GetProperty("age").ValueKind == JsonValueKind.Null ? -1 : a.GetProperty("age").GetInt32(), a => a.GetProperty("count").GetInt32());
        Assert.Equal(inside.GroupBy(l => l.Age ?? -1).ToDictionary(g => g.Key, g => g.Count()).OrderBy(kv => kv.Key), ages.OrderBy(kv => kv.Key));

        var heat = json.GetProperty("heatmap").EnumerateArray().ToDictionary(h => (h.GetProperty("weekday").GetInt32(), h.GetProperty("hour").GetInt32()), h => h.GetProperty("count").GetInt32());
        var expectedHeat = inside.GroupBy(l => (((int)Local(l.At).DayOfWeek + 6) % 7, Local(l.At).Hour)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expectedHeat.OrderBy(kv => kv.Key), heat.OrderBy(kv => kv.Key));

        DateOnly Monday(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
        var weeks = json.GetProperty("weeks").EnumerateArray().Select(w => (DateOnly.Parse(w.GetProperty("weekStart").GetString()!, CultureInfo.InvariantCulture), w.GetProperty("count").GetInt32(), w.GetProperty("meanIntensity").GetDouble())).ToList();
        var expectedWeeks = inside.GroupBy(l => Monday(DateOnly.FromDateTime(Local(l.At)))).OrderBy(g => g.Key).Select(g => (g.Key, g.Count(), R(g.Average(x => x.Intensity)))).ToList();
        Assert.Equal(expectedWeeks, weeks);

        // Over 92 days the trend is weekly; its rolling mean covers the last 4 weeks.
        Assert.Equal("week", json.GetProperty("bucket").GetString());
        var trend = json.GetProperty("trend").EnumerateArray().ToList();
        Assert.Equal(expectedWeeks.Count, trend.Count);
        var last = DateOnly.Parse(trend[^1].GetProperty("start").GetString()!, CultureInfo.InvariantCulture);
        var window = inside.Where(l => Monday(DateOnly.FromDateTime(Local(l.At))) > last.AddDays(-28)).ToList();
        Assert.Equal(R(window.Average(l => l.Intensity)), trend[^1].GetProperty("rollingMean").GetDouble());

        // The plain-language summaries say the same numbers.
        var summaries = json.GetProperty("summaries").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Contains(summaries, s => s.Contains($"You logged {inside.Count} reactions", StringComparison.Ordinal) && s.Contains(R(inside.Average(l => l.Intensity)).ToString("0.0", CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var top = expectedPatterns.OrderByDescending(kv => kv.Value.Count).First();
        Assert.Contains(summaries, s => s.Contains($"came up most often ({top.Value.Count})", StringComparison.Ordinal));

        // Four weeks: only the last 28 days, bucketed by day.
        var month = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/insights/activations?range=4w");
        Assert.Equal(logged.Count(l => DateOnly.FromDateTime(Local(l.At)) > today.AddDays(-28)), month.GetProperty("count").GetInt32());
        Assert.Equal("day", month.GetProperty("bucket").GetString());
    }

    [Fact]
    public async Task CheckIns_ShareTheTimeAxis_AndTheReportCarriesNumbersNotWords()
    {
        var person = await app.RegisterAsync("Sam");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 2, 2, 2, 2, 1, 1, 1, 1, 0 } }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 1, 0, 0, 0, 1, 0 } }), HttpStatusCode.Created);
        await LogAsync(person, new { situation = "Report Canary Plover words", intensity = 6, feltAge = 7, patterns = new[] { "abandonment" } });

        var json = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/insights/activations?range=4w");
        Assert.Equal([12, 5], json.GetProperty("checkIns").EnumerateArray().Select(c => c.GetProperty("total").GetInt32()));
        var summaries = json.GetProperty("summaries").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Contains(summaries, s => s.StartsWith("Your PHQ-9 score went down from 12", StringComparison.Ordinal) && s.Contains("to 5", StringComparison.Ordinal));

        var response = await person.Api.GetAsync("/api/v1/insights/report?range=4w");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var text = PdfText.Extract(pdf);
        Assert.Contains("Attune progress report", text);
        Assert.Contains("Sam", text);
        Assert.Contains("Your journey", text);
        Assert.Contains("You logged 1 reaction", text);
        Assert.Contains("Fear of being left: 1, average intensity 6.0", text);
        Assert.Contains("Spitzer", text);
        Assert.DoesNotContain("Plover", text);
    }

    [Fact]
    public async Task Words_ListTheWheelNeedsPatternsAndRegions()
    {
        var person = await app.RegisterAsync();
        var words = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/activations/words");
        Assert.True(words.GetProperty("emotions").GetArrayLength() >= 4);
        Assert.Equal(8, words.GetProperty("patterns").GetArrayLength());
        Assert.Contains(words.GetProperty("bodyRegions").EnumerateArray(), r => r.GetProperty("id").GetString() == "front:chest");
    }
}
