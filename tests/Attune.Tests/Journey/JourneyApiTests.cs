using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Features.Account;
using Attune.Features.Journey;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Journey;

public sealed class JourneyApiTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static async Task<JsonElement> PhaseAsync(Person person, int number)
    {
        var journey = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journey");
        return journey.GetProperty("phases").EnumerateArray().Single(p => p.GetProperty("number").GetInt32() == number);
    }

    private static async Task<string> StartAsync(Person person, string slug, int sudsBefore = 2)
    {
        var response = await person.Api.PostAsJsonAsync($"/api/v1/practices/{slug}/sessions", new { sudsBefore });
        return JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task CompleteAsync(Person person, string slug)
    {
        var id = await StartAsync(person, slug);
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { sudsAfter = 2, completed = true }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ANewPerson_HasPhase1Open_AndTheRestLocked_SayingExactlyWhatIsMissing()
    {
        var person = await app.RegisterAsync();
        var journey = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journey");
        var phases = journey.GetProperty("phases").EnumerateArray().ToList();
        Assert.Equal(4, phases.Count);
        Assert.Equal("open", phases[0].GetProperty("status").GetString());
        Assert.Equal("Safety and patterns", phases[0].GetProperty("title").GetString());
        Assert.True(phases[0].GetProperty("practices").GetArrayLength() >= 5);
        var reason = phases[1].GetProperty("lockedReason").GetString()!;
        Assert.Equal("locked", phases[1].GetProperty("status").GetString());
        Assert.Contains("at least one person you can ask for help", reason, StringComparison.Ordinal);
        Assert.Contains("(you have 0)", reason, StringComparison.Ordinal);
        Assert.Contains("complete 3 practices from part 1 (you have completed 0)", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APractice_CanBeReadWithItsSteps_ForClientsThatRunIt()
    {
        var person = await app.RegisterAsync();
        var practice = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/practices/safe-place");
        Assert.Equal("Find your safe place", practice.GetProperty("title").GetString());
        Assert.Equal(5, practice.GetProperty("steps").GetArrayLength());
        Assert.True(practice.GetProperty("paced").GetBoolean());
        Assert.False(string.IsNullOrEmpty(practice.GetProperty("safety").GetString()));
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/practices/nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Phase2_Opens_OnlyWhenTheSafetyPlanAndThreePhase1PracticesAreDone()
    {
        var person = await app.RegisterAsync();
        using (var pages = await app.SignInPagesAsync(person.Email))
        {
            var lockedPage = await pages.GetPageAsync("/practices/meet-younger-self");
            Assert.Contains("href=\"/safety-plan/edit\"", lockedPage, StringComparison.Ordinal);
            Assert.DoesNotContain(">Start<", lockedPage, StringComparison.Ordinal);
        }
        var locked = await person.Api.PostAsJsonAsync("/api/v1/practices/meet-younger-self/sessions", new { sudsBefore = 2 });
        var problem = await Expect.StatusAsync(locked, HttpStatusCode.Conflict);
        Assert.Contains("safety plan", problem, StringComparison.Ordinal);

        foreach (var slug in new[] { "safe-place", "what-helps", "my-people" }) await CompleteAsync(person, slug);
        var stillLocked = (await PhaseAsync(person, 2)).GetProperty("lockedReason").GetString()!;
        Assert.DoesNotContain("practices from part 1", stillLocked, StringComparison.Ordinal);
        Assert.Contains("safety plan", stillLocked, StringComparison.Ordinal);

        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new { helpers = new[] { "Sam" }, copingStrategies = new[] { "walk", "music" } }), HttpStatusCode.OK);
        Assert.Contains("(you have 2)", (await PhaseAsync(person, 2)).GetProperty("lockedReason").GetString()!, StringComparison.Ordinal);

        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", new { helpers = new[] { "Sam" }, copingStrategies = new[] { "walk", "music", "bath" } }), HttpStatusCode.OK);
        var phase2 = await PhaseAsync(person, 2);
        Assert.Equal("open", phase2.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, phase2.GetProperty("lockedReason").ValueKind);
        await StartAsync(person, "meet-younger-self");
        Assert.Equal("locked", (await PhaseAsync(person, 3)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task APhase_IsCompleted_WhenEachOfItsPracticesIsDone()
    {
        var person = await app.RegisterAsync();
        var phase1 = await PhaseAsync(person, 1);
        foreach (var p in phase1.GetProperty("practices").EnumerateArray()) await CompleteAsync(person, p.GetProperty("slug").GetString()!);
        Assert.Equal("completed", (await PhaseAsync(person, 1)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(7, null, true)]
    [InlineData(10, null, true)]
    [InlineData(6, null, false)]
    [InlineData(2, 5, true)]
    [InlineData(2, 4, false)]
    [InlineData(3, 7, true)]
    [InlineData(5, 1, false)]
    public void DistressRule_HighOrRisingByThree_OffersSupport(int before, int? now, bool offered) =>
        Assert.Equal(offered, Distress.SupportReason(before, now) is not null);

    [Fact]
    public async Task HighDistress_StopsTheNextStep_OffersSupport_AndRecordsTheChoice()
    {
        var person = await app.RegisterAsync();
        var id = await StartAsync(person, "noticing-patterns", sudsBefore: 2);
        var calm = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { sudsNow = 4 }), HttpStatusCode.OK)).RootElement;
        Assert.False(calm.GetProperty("support").GetProperty("offered").GetBoolean());

        var rising = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { sudsNow = 5 }), HttpStatusCode.OK)).RootElement;
        var support = rising.GetProperty("support");
        Assert.True(support.GetProperty("offered").GetBoolean());
        Assert.Contains("from 2 to 5", support.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["grounding", "pause", "reach"], support.GetProperty("choices").EnumerateArray().Select(c => c.GetString()));

        var chose = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { choice = "pause" }), HttpStatusCode.OK)).RootElement;
        Assert.Equal("pause", chose.GetProperty("choice").GetString());
        var row = await app.WithDbAsync(db => db.Set<PracticeSession>().AsNoTracking().SingleAsync(s => s.Id == Guid.Parse(id)));
        Assert.True(row.SupportOffered);
        Assert.Equal("pause", row.Choice);

        var steadier = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { sudsNow = 3 }), HttpStatusCode.OK)).RootElement;
        Assert.False(steadier.GetProperty("support").GetProperty("offered").GetBoolean());
    }

    [Fact]
    public async Task Answers_AreSavedSealed_AndReadBack_AndFinishingAsksDistressAfter()
    {
        const string canary = "Runner Canary Wren 2231";
        var person = await app.RegisterAsync();
        var id = await StartAsync(person, "noticing-patterns");
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { answers = new Dictionary<string, string> { ["moment"] = canary } }), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { answers = new Dictionary<string, string> { ["feeling"] = "tight chest" } }), HttpStatusCode.OK);
        var session = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/practice-sessions/{id}");
        Assert.Equal(canary, session.GetProperty("answers").GetProperty("moment").GetString());
        Assert.Equal("tight chest", session.GetProperty("answers").GetProperty("feeling").GetString());

        var raw = await app.WithDbAsync(db => db.Database.SqlQuery<byte[]>($"SELECT \"Answers\" AS \"Value\" FROM \"PracticeSessions\" WHERE \"OwnerId\" = {person.Id}").SingleAsync());
        Assert.True(raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)) < 0);

        await Expect.ProblemNamingAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { completed = true }), "sudsAfter");
        var done = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { completed = true, sudsAfter = 1 }), HttpStatusCode.OK)).RootElement;
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("completedAt").ValueKind);
        var export = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.Equal(canary, export.GetProperty("practiceSessions")[0].GetProperty("answers").GetProperty("moment").GetString());
    }

    [Fact]
    public async Task BadInput_NamesTheField_AndNothingIsHalfSaved()
    {
        var person = await app.RegisterAsync();
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { sudsBefore = 11 }), "sudsBefore");
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { }), "sudsBefore");
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/practices/no-such-practice/sessions", new { sudsBefore = 1 }), HttpStatusCode.NotFound);
        var id = await StartAsync(person, "safe-place");
        var bad = await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { sudsNow = -1, answers = new Dictionary<string, string> { ["return"] = "kept?", ["nope"] = "x" }, choice = "run" });
        var problem = await Expect.ProblemNamingAsync(bad, "sudsNow");
        Assert.True(problem.GetProperty("errors").TryGetProperty("answers.nope", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("choice", out _));
        var session = await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/practice-sessions/{id}");
        Assert.Empty(session.GetProperty("answers").EnumerateObject());
        await Expect.ProblemNamingAsync(await person.Api.PutAsync($"/api/v1/practice-sessions/{id}", new StringContent("{\"sudsNow\": \"high\"}", Encoding.UTF8, "application/json")), "sudsNow");
    }

    [Fact]
    public async Task SomeoneElse_CannotReadOrChangeAPracticeSession()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var id = await StartAsync(owner, "safe-place");
        await Expect.StatusAsync(await owner.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { answers = new Dictionary<string, string> { ["return"] = "Owner Session Canary" } }), HttpStatusCode.OK);
        await Expect.StatusAsync(await stranger.Api.GetAsync($"/api/v1/practice-sessions/{id}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await stranger.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{id}", new { sudsNow = 9 }), HttpStatusCode.NotFound);
        using var pages = await app.SignInPagesAsync(stranger.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.Http.GetAsync($"/practices/sessions/{id}")).StatusCode);
        var mine = await owner.Api.GetFromJsonAsync<JsonElement>($"/api/v1/practice-sessions/{id}");
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("sudsLatest").ValueKind);
    }

    [Fact]
    public async Task AnAdministrator_CannotOpenOrCloseAPersonsPhases_AndTheAnswerSaysNothingOfWhoExists()
    {
        var person = await app.RegisterAsync();
        var admin = await app.RegisterAsync();
        using (var scope = app.Services.CreateScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            if (!await roles.RoleExistsAsync(Administrators.Role)) await roles.CreateAsync(new IdentityRole(Administrators.Role));
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Attune.Data.AttuneUser>>();
            await users.AddToRoleAsync((await users.FindByIdAsync(admin.Id))!, Administrators.Role);
        }
        var adminAgain = await app.SignInAsync(admin.Email); // a new token carries the new role

        // Without a care relationship, consent and a reason the person reads, nobody opens a phase for them.
        var real = await adminAgain.Api.PutAsJsonAsync($"/api/v1/admin/people/{person.Id}/phases/2", new { open = true });
        var nobody = await adminAgain.Api.PutAsJsonAsync("/api/v1/admin/people/nobody/phases/2", new { open = true });
        await Expect.StatusAsync(real, HttpStatusCode.NotFound);
        await Expect.StatusAsync(nobody, HttpStatusCode.NotFound);
        Assert.Equal("locked", (await PhaseAsync(person, 2)).GetProperty("status").GetString());
        Assert.Equal("open", (await PhaseAsync(person, 1)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheRunner_WorksWithoutScripts_ThroughItsForm()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var start = await pages.PostFormAsync("/practices/what-helps", new() { ["sudsBefore"] = "3" });
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var runnerUrl = start.Headers.Location!.OriginalString;
        Assert.Contains("Things that help me", await pages.GetPageAsync(runnerUrl), StringComparison.Ordinal);

        var save = await pages.PostFormAsync(runnerUrl + "?handler=Form", new() { ["answers[think]"] = "a long bath", ["sudsNow"] = "3" }, runnerUrl);
        Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
        Assert.Contains("a long bath", await pages.GetPageAsync(runnerUrl), StringComparison.Ordinal);

        var finish = await pages.PostFormAsync(runnerUrl + "?handler=Form", new() { ["answers[think]"] = "a long bath", ["sudsAfter"] = "2", ["completed"] = "true" }, runnerUrl);
        Assert.Equal(runnerUrl + "#ending-heading", finish.Headers.Location?.OriginalString);
        var ending = await pages.GetPageAsync(runnerUrl);
        Assert.Contains("Thank you for staying with this", ending, StringComparison.Ordinal);
        Assert.Contains("You began at <strong>3</strong> out of 10 and finished at <strong>2</strong>", ending, StringComparison.Ordinal);
        Assert.Contains("done 1", await pages.GetPageAsync("/journey"), StringComparison.Ordinal);
    }
}
