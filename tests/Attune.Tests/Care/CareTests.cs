using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Account;
using Attune.Features.Care;
using Attune.Tests.Support;

namespace Attune.Tests.Care;

/// <summary>The directory, connecting with consent, the workspace within the consents, assignments, and administrators.</summary>
public sealed class CareTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static string Word() => "w" + Guid.NewGuid().ToString("N")[..10];

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        JsonDocument.Parse(await Expect.StatusAsync(response, expected)).RootElement;

    private static async Task DoPracticeAsync(Person person, string slug, int before, int after)
    {
        var started = await JsonAsync(await person.Api.PostAsJsonAsync($"/api/v1/practices/{slug}/sessions", new { sudsBefore = before }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{started.GetProperty("id").GetString()}", new { sudsAfter = after, completed = true }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Directory_IsOpenWithoutSigningIn_ShowsOnlyPublishedProfiles_AndEachFilterNarrowsIt()
    {
        var word = Word();
        var a = await app.RegisterAsync();
        var b = await app.RegisterAsync();
        var c = await app.RegisterAsync();
        var aId = await Therapists.CreateAsync(a, "Ana Online", profile: Therapists.Profile("Ana Online", $"Gentle parts work. {word}", modalities: ["ifs"], languages: ["English", "Welsh"]));
        var bId = await Therapists.CreateAsync(b, "Bartek In Person", profile: Therapists.Profile("Bartek In Person", $"Trauma focused {word}", modalities: ["emdr"],
            formats: ["inPerson"], city: "Kraków", country: "PL", languages: ["Polish"], accepting: false));
        await Therapists.CreateAsync(c, "Cleo Unpublished", profile: Therapists.Profile("Cleo Unpublished", word, published: false));
        using var anonymous = app.CreateClient();

        async Task<string[]> Names(string query) =>
            (await JsonAsync(await anonymous.GetAsync($"/api/v1/therapists?q={word}{query}"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("name").GetString()!).Order().ToArray();

        Assert.Equal(["Ana Online", "Bartek In Person"], await Names(""));
        Assert.Equal(["Ana Online"], await Names("&modality=ifs"));
        Assert.Equal(["Bartek In Person"], await Names("&format=inPerson"));
        Assert.Equal(["Ana Online"], await Names("&language=welsh"));
        Assert.Equal(["Bartek In Person"], await Names("&country=pl"));
        Assert.Equal(["Bartek In Person"], await Names("&region=krak%C3%B3w"));
        Assert.Equal(["Ana Online"], await Names("&accepting=true"));
        Assert.Equal(["Ana Online"], await Names("+gentle"));
        Assert.Empty(await Names("&modality=dbt"));

        // One at a time, with a cursor to the next page.
        var first = await JsonAsync(await anonymous.GetAsync($"/api/v1/therapists?q={word}&limit=1"), HttpStatusCode.OK);
        Assert.Equal(aId, first.GetProperty("items")[0].GetProperty("id").GetString());
        var second = await JsonAsync(await anonymous.GetAsync($"/api/v1/therapists?q={word}&limit=1&cursor={first.GetProperty("next").GetString()}"), HttpStatusCode.OK);
        Assert.Equal(bId, second.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        var profile = await JsonAsync(await anonymous.GetAsync($"/api/v1/therapists/{aId}"), HttpStatusCode.OK);
        Assert.False(profile.TryGetProperty("licenceNumber", out _)); // the number is for administrators
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/therapists/{Guid.NewGuid()}")).StatusCode);

        // The pages work without an account too.
        using var pages = app.AnonymousPages();
        var list = await pages.GetPageAsync($"/therapists?q={word}&modality=ifs");
        Assert.Contains("Ana Online", list);
        Assert.DoesNotContain("Bartek", list);
        Assert.Contains("Create an account", await pages.GetPageAsync($"/therapists/{aId}"));

        // Unpublishing takes it out at once.
        await Expect.StatusAsync(await a.Api.PutAsJsonAsync("/api/v1/therapist-profile", Therapists.Profile("Ana Online", word, published: false)), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/therapists/{aId}")).StatusCode);
        Assert.Equal(["Bartek In Person"], await Names(""));
    }

    [Theory]
    [InlineData("modality=hypnosis", "modality")]
    [InlineData("format=phone", "format")]
    [InlineData("country=GBR", "country")]
    [InlineData("accepting=maybe", "accepting")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("cursor=!!", "cursor")]
    [InlineData("language=%3Cscript%3E", "language")]
    [InlineData("region=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "region")]
    public async Task Directory_RefusesABadFilter_NamingIt(string query, string field)
    {
        using var anonymous = app.CreateClient();
        await Expect.ProblemNamingAsync(await anonymous.GetAsync($"/api/v1/therapists?{query}"), field);
    }

    [Fact]
    public async Task Profile_BadInput_NamesEachField_AndSavesNothing_PhotosAreCheckedAndStripped()
    {
        var t = await app.RegisterAsync();
        var bad = new
        {
            name = "",
            modalities = new[] { "hypnosis" },
            formats = new[] { "inPerson" },
            country = "United Kingdom",
            languages = Array.Empty<string>(),
            feeMin = 90,
            feeMax = 40,
            bio = new string('x', TherapistDirectory.MaxBio + 1),
        };
        var response = await t.Api.PutAsJsonAsync("/api/v1/therapist-profile", bad);
        var problem = await Expect.ProblemNamingAsync(response, "name");
        foreach (var field in new[] { "modalities", "city", "country", "languages", "feeMax", "currency", "bio" })
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api.GetAsync("/api/v1/therapist-profile")).StatusCode);
        await Expect.ProblemNamingAsync(await t.Api.PutAsJsonAsync("/api/v1/therapist-profile/photo", new { image = Convert.ToBase64String(TestImages.Png()) }), "profile");

        var id = await Therapists.CreateAsync(t, "Photo Person");
        await Expect.ProblemNamingAsync(await t.Api.PutAsJsonAsync("/api/v1/therapist-profile/photo", new { image = "not base64!" }), "image");
        await Expect.ProblemNamingAsync(await t.Api.PutAsJsonAsync("/api/v1/therapist-profile/photo", new { image = Convert.ToBase64String("GIF89a pretending"u8.ToArray()) }), "image");
        var jpeg = TestImages.Jpeg(exifText: "GPS 51.5N secret camera", comment: "taken at home");
        await Expect.StatusAsync(await t.Api.PutAsJsonAsync("/api/v1/therapist-profile/photo", new { image = Convert.ToBase64String(jpeg) }), HttpStatusCode.NoContent);
        using var anonymous = app.CreateClient();
        var photo = await anonymous.GetAsync($"/api/v1/therapists/{id}/photo");
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);
        var bytes = await photo.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain("secret camera", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.DoesNotContain("taken at home", System.Text.Encoding.Latin1.GetString(bytes));
    }

    [Fact]
    public async Task Connecting_TheTherapistSeesExactlyWhatEachConsentAllows_AndNothingBeforeIt()
    {
        var person = await app.RegisterAsync("Pat Person");
        var therapist = await app.RegisterAsync("Theo Therapist");
        var profileId = await Therapists.CreateAsync(therapist, "Theo Therapist");
        const string canary = "Request Canary Kestrel 7710";
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/signs/responses", new { answers = Enumerable.Repeat(2, await SignsItemsAsync(person)).ToArray() }), HttpStatusCode.Created);
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { message = new string('m', CareService.MaxMessage + 1) }), "message");
        var request = await JsonAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { message = canary, attachSigns = true }), HttpStatusCode.Created);
        var careId = request.GetProperty("id").GetString()!;
        Assert.Equal("requested", request.GetProperty("status").GetString());
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { message = "again" }), "therapistId");
        Assert.False(await app.HoldsPlaintextAsync(canary, "CareRelationships", "Message"));
        Assert.DoesNotContain(canary, (await app.MailAsync(therapist.Email, "asked to connect")).Body);

        var requests = await JsonAsync(await therapist.Api.GetAsync("/api/v1/care/requests"), HttpStatusCode.OK);
        var mine = requests.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetString() == careId);
        Assert.Equal(canary, mine.GetProperty("message").GetString());
        Assert.Equal("Pat Person", mine.GetProperty("personName").GetString());
        Assert.True(mine.GetProperty("signs").GetProperty("total").GetInt32() > 0);
        var log = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("itemType").GetString() == "signs" && e.GetProperty("actorId").GetString() == therapist.Id);

        // Before accepting, the therapist sees nobody.
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}")).StatusCode);
        // Only the therapist answers; only the person sets consents.
        Assert.Equal(HttpStatusCode.Forbidden, (await person.Api.PostAsync($"/api/v1/care/requests/{careId}/accept", null)).StatusCode);
        await JsonAsync(await therapist.Api.PostAsync($"/api/v1/care/requests/{careId}/accept", null), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.PostAsync($"/api/v1/care/requests/{careId}/accept", null)).StatusCode);
        await Expect.ProblemNamingAsync(await therapist.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { checkIns = true }), "consents");

        // The person's data, for each consent to show.
        await DoPracticeAsync(person, "safe-place", 6, 3);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 } }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/activations", new { situation = "Activation Canary Plover 3390", intensity = 7, patterns = new[] { "critic" } }), HttpStatusCode.Created);

        async Task<JsonElement> Entry() => await JsonAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}"), HttpStatusCode.OK);
        var none = await Entry();
        Assert.Equal(JsonValueKind.Null, none.GetProperty("journey").ValueKind);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("checkIns").ValueKind);
        Assert.Equal(JsonValueKind.Null, none.GetProperty("activations").ValueKind);
        Assert.False(none.GetProperty("safetyFlag").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}/check-ins")).StatusCode);

        async Task Consent(bool journey, bool checkIns, bool activations) =>
            await JsonAsync(await person.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { journey, checkIns, activations }), HttpStatusCode.OK);

        await Consent(true, false, false);
        var j = await Entry();
        Assert.Equal(1, j.GetProperty("journey").GetProperty("completedLast30Days").GetInt32());
        Assert.Equal(6, j.GetProperty("journey").GetProperty("sudsBeforeMean").GetDouble());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("checkIns").ValueKind);
        Assert.Equal(JsonValueKind.Null, j.GetProperty("activations").ValueKind);

        await Consent(false, true, false);
        var c = await Entry();
        Assert.Equal(JsonValueKind.Null, c.GetProperty("journey").ValueKind);
        Assert.Contains(c.GetProperty("checkIns").EnumerateArray(), x => x.GetProperty("code").GetString() == "phq9" && x.GetProperty("latest").GetInt32() == 9);
        Assert.True(c.GetProperty("safetyFlag").GetBoolean()); // PHQ-9 item 9 above zero, with check-ins shared
        var checkIns = await JsonAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}/check-ins"), HttpStatusCode.OK);
        Assert.All(checkIns.GetProperty("items").EnumerateArray(), x => Assert.Equal(JsonValueKind.Null, x.GetProperty("answers").ValueKind));
        Assert.Equal(JsonValueKind.Null, c.GetProperty("activations").ValueKind);

        await Consent(false, false, true);
        var a = await Entry();
        Assert.Equal(JsonValueKind.Null, a.GetProperty("checkIns").ValueKind);
        Assert.False(a.GetProperty("safetyFlag").GetBoolean()); // the flag comes only with check-in consent
        Assert.Equal(1, a.GetProperty("activations").GetProperty("last28Days").GetInt32());
        Assert.Equal(7, a.GetProperty("activations").GetProperty("meanIntensity").GetDouble());
        Assert.Equal("critic", a.GetProperty("activations").GetProperty("patterns")[0].GetProperty("code").GetString());
        Assert.DoesNotContain("Canary", a.GetRawText());

        // A later PHQ-9 with item 9 at zero clears the flag.
        await Consent(false, true, false);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/phq9/responses", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }), HttpStatusCode.Created);
        Assert.False((await Entry()).GetProperty("safetyFlag").GetBoolean());

        // Each look is in the person's access log.
        log = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log?limit=200");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("itemType").GetString() == "caseload");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("itemType").GetString() == "check-ins");

        // The caseload page shows the same subset.
        using var pages = await app.SignInPagesAsync(therapist.Email);
        var page = await pages.GetPageAsync($"/caseload/{person.Id}");
        Assert.Contains("PHQ-9", page);
        Assert.Contains("Not shared", page);
    }

    private static async Task<int> SignsItemsAsync(Person person)
    {
        var all = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assessments");
        return all.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "signs").GetProperty("items").GetArrayLength();
    }

    [Fact]
    public async Task AnAssignment_GoesOutAndComesBack_HowItWentOnlyUnderConsent_AndTheNoteIsSealed()
    {
        var person = await app.RegisterAsync("Ari");
        var therapist = await app.RegisterAsync("Dr Lee");
        var profileId = await Therapists.CreateAsync(therapist, "Dr Lee");
        var careId = await Therapists.ConnectAsync(person, therapist, profileId);
        const string note = "Assignment Note Canary Wren 4417";
        var due = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");

        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "no-such-practice", dueAt = due }), "practice");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", instrument = "phq9", dueAt = due }), "practice");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { instrument = "bdi", dueAt = due }), "instrument");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = "soon" }), "dueAt");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = "2020-01-01" }), "dueAt");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = due, note = new string('n', CareAssignments.MaxNote + 1) }), "note");

        var practice = await JsonAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = due, note }), HttpStatusCode.Created);
        await JsonAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { instrument = "gad7", dueAt = due }), HttpStatusCode.Created);
        Assert.False(await app.HoldsPlaintextAsync(note, "CareAssignments", "Note"));
        Assert.DoesNotContain(note, (await app.MailAsync(person.Email, "therapist")).Body);

        var given = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assignments");
        var mine = given.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("id").GetString() == practice.GetProperty("id").GetString());
        Assert.Equal(note, mine.GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("doneAt").ValueKind);
        using var personPages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("Suggested by your therapist", await personPages.GetPageAsync("/"));

        await DoPracticeAsync(person, "safe-place", 7, 2);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 2, 2, 2, 2, 2, 2, 2 } }), HttpStatusCode.Created);

        async Task<JsonElement[]> Back() => (await JsonAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}"), HttpStatusCode.OK)).GetProperty("assignments").EnumerateArray().ToArray();
        var back = await Back();
        Assert.All(back, x => Assert.Equal(JsonValueKind.Null, x.GetProperty("doneAt").ValueKind)); // without consent, not even when
        Assert.All(back, x => Assert.Equal(JsonValueKind.Null, x.GetProperty("sudsBefore").ValueKind)); // no journey consent
        Assert.All(back, x => Assert.Equal(JsonValueKind.Null, x.GetProperty("score").ValueKind)); // no check-in consent

        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { journey = true, checkIns = true }), HttpStatusCode.OK);
        back = await Back();
        Assert.All(back, x => Assert.NotEqual(JsonValueKind.Null, x.GetProperty("doneAt").ValueKind));
        Assert.Contains(back, x => x.GetProperty("kind").GetString() == "practice" && x.GetProperty("sudsBefore").GetInt32() == 7 && x.GetProperty("sudsAfter").GetInt32() == 2);
        Assert.Contains(back, x => x.GetProperty("kind").GetString() == "checkIn" && x.GetProperty("score").GetInt32() == 14);

        // Ending it takes the assignments with it, for both.
        await Expect.StatusAsync(await therapist.Api.DeleteAsync($"/api/v1/care/{careId}"), HttpStatusCode.NoContent);
        Assert.Equal(0, (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assignments")).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}")).StatusCode);
    }

    [Fact]
    public async Task APhase_IsOpenedByTheTherapist_OnlyWithJourneyConsent_AndThePersonReadsTheReason()
    {
        var person = await app.RegisterAsync();
        var therapist = await app.RegisterAsync("Dr Moss");
        var profileId = await Therapists.CreateAsync(therapist, "Dr Moss");
        var careId = await Therapists.ConnectAsync(person, therapist, profileId);
        const string reason = "We agreed in session you feel ready";
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.PutAsJsonAsync($"/api/v1/caseload/{person.Id}/phases/2", new { open = true, reason })).StatusCode);
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { journey = true }), HttpStatusCode.OK);
        await Expect.ProblemNamingAsync(await therapist.Api.PutAsJsonAsync($"/api/v1/caseload/{person.Id}/phases/2", new { open = true }), "reason");
        await Expect.ProblemNamingAsync(await therapist.Api.PutAsJsonAsync($"/api/v1/caseload/{person.Id}/phases/9", new { open = true, reason }), "number");
        await Expect.StatusAsync(await therapist.Api.PutAsJsonAsync($"/api/v1/caseload/{person.Id}/phases/2", new { open = true, reason }), HttpStatusCode.NoContent);

        var journey = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/journey");
        Assert.Equal("open", journey.GetProperty("phases")[1].GetProperty("status").GetString());
        var log = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log");
        var entry = log.GetProperty("items").EnumerateArray().First(e => e.GetProperty("itemType").GetString() == "phase");
        Assert.Equal("opened", entry.GetProperty("action").GetString());
        Assert.Equal(reason, entry.GetProperty("detail").GetString());
        Assert.False(await app.HoldsPlaintextAsync(reason, "AccessLog", "Detail"));
    }

    [Fact]
    public async Task SomeoneElse_CannotSeeOrChangeIt_NonTherapistsAreRefused_AndAnEndedTherapistSeesNothing()
    {
        var person = await app.RegisterAsync();
        var therapist = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var plain = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Ward");
        await Therapists.CreateAsync(other, "Dr Elsewhere");
        var careId = await Therapists.ConnectAsync(person, therapist, profileId, journey: true, checkIns: true, activations: true);

        foreach (var url in new[] { "/api/v1/caseload", "/api/v1/care/requests", $"/api/v1/caseload/{person.Id}" })
            Assert.Equal(HttpStatusCode.Forbidden, (await plain.Api.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = DateTime.UtcNow.AddDays(1).ToString("o") })).StatusCode);

        // Another therapist, and another person, get 404 for everything about it.
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.GetAsync($"/api/v1/caseload/{person.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.GetAsync($"/api/v1/caseload/{person.Id}/check-ins")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = DateTime.UtcNow.AddDays(1).ToString("o") })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.PutAsJsonAsync($"/api/v1/caseload/{person.Id}/phases/2", new { open = true, reason = "no" })).StatusCode);
        foreach (var who in new[] { other, plain })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await who.Api.GetAsync($"/api/v1/care/{careId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await who.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { journey = false })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await who.Api.DeleteAsync($"/api/v1/care/{careId}")).StatusCode);
            Assert.Empty((await who.Api.GetFromJsonAsync<JsonElement>("/api/v1/care")).GetProperty("items").EnumerateArray());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.PostAsync($"/api/v1/care/requests/{careId}/decline", null)).StatusCode);
        using var otherPages = await app.SignInPagesAsync(other.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await otherPages.Http.GetAsync($"/caseload/{person.Id}")).StatusCode);

        // The person ends it: at once, the therapist sees nothing.
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/care/{careId}"), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}/check-ins")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = DateTime.UtcNow.AddDays(1).ToString("o") })).StatusCode);
        Assert.DoesNotContain((await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/caseload")).GetProperty("items").EnumerateArray(), e => e.GetProperty("personId").GetString() == person.Id);
    }

    [Fact]
    public async Task ADeclinedRequest_IsToldKindly_AndCanBeAskedAgain_ANotAcceptingTherapistCannotBeAsked()
    {
        var person = await app.RegisterAsync();
        var therapist = await app.RegisterAsync();
        var full = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Busy");
        var fullId = await Therapists.CreateAsync(full, "Dr Full", profile: Therapists.Profile("Dr Full", accepting: false));
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{fullId}/requests", new { }), "therapistId");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { }), "therapistId");
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { attachSigns = true }), "attachSigns");

        var careId = (await JsonAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { }), HttpStatusCode.Created)).GetProperty("id").GetString();
        await JsonAsync(await therapist.Api.PostAsync($"/api/v1/care/requests/{careId}/decline", null), HttpStatusCode.OK);
        Assert.Equal("declined", (await person.Api.GetFromJsonAsync<JsonElement>($"/api/v1/care/{careId}")).GetProperty("status").GetString());
        Assert.Contains("isn't about you", (await app.MailAsync(person.Email, "answer")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/care/{careId}")).StatusCode);
        var again = await JsonAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { message = "Trying again" }), HttpStatusCode.Created);
        Assert.Equal("requested", again.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Administrators_AreMadeByTheCommand_VerifyAndHideProfiles_AndCannotReadPeople()
    {
        var admin = await app.RegisterAsync();
        var therapist = await app.RegisterAsync();
        var person = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Checked");
        await Therapists.ConnectAsync(person, therapist, profileId, journey: true, checkIns: true, activations: true);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Api.GetAsync("/api/v1/admin/therapists")).StatusCode);

        Assert.Equal(1, await Administrators.RunCommandAsync(app.Services, ["admin", "grant", "nobody-" + admin.Email]));
        Assert.Equal(0, await Administrators.RunCommandAsync(app.Services, ["admin", "grant", admin.Email]));
        admin = await app.SignInAsync(admin.Email);
        var all = await JsonAsync(await admin.Api.GetAsync("/api/v1/admin/therapists"), HttpStatusCode.OK);
        Assert.Contains(all.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == profileId && p.GetProperty("licenceNumber").GetString()!.StartsWith("REG-", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await therapist.Api.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { verified = true })).StatusCode);
        await Expect.ProblemNamingAsync(await admin.Api.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { }), "verified");
        await Expect.StatusAsync(await admin.Api.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { verified = true }), HttpStatusCode.NoContent);
        using var anonymous = app.CreateClient();
        Assert.True((await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/therapists/{profileId}")).GetProperty("verified").GetBoolean());
        var security = await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/security-log");
        Assert.Contains("therapist.verified", security.GetRawText());

        await Expect.StatusAsync(await admin.Api.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { hidden = true }), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/therapists/{profileId}")).StatusCode);

        // Being an administrator opens nobody's content.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Api.GetAsync($"/api/v1/caseload/{person.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Api.GetAsync($"/api/v1/caseload/{person.Id}/check-ins")).StatusCode);
        using var adminPages = await app.SignInPagesAsync(admin.Email);
        Assert.Contains("Dr Checked", await adminPages.GetPageAsync("/admin/therapists"));
        using var therapistPages = await app.SignInPagesAsync(therapist.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await therapistPages.Http.GetAsync("/admin/therapists")).StatusCode);
    }

    [Fact]
    public async Task DeletingTheTherapistsAccount_EndsEveryRelationship_AndTakesTheProfileOutOfTheDirectory()
    {
        var person = await app.RegisterAsync();
        var therapist = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Leaving");
        await Therapists.ConnectAsync(person, therapist, profileId, journey: true);
        await Expect.StatusAsync(await therapist.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = therapist.Password }) }), HttpStatusCode.NoContent);
        Assert.Empty((await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/care")).GetProperty("items").EnumerateArray());
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/therapists/{profileId}")).StatusCode);
    }

    [Fact]
    public async Task Messages_AreLiveBothWays_SealedAtRest_ForTheTwoOnly_AndGoWhenItEnds()
    {
        var person = await app.RegisterAsync("Mo");
        var therapist = await app.RegisterAsync("Dr Fern");
        var stranger = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Fern");
        var careId = await Therapists.ConnectAsync(person, therapist, profileId);
        const string canary = "Care Message Canary Linnet 6032";

        // Nobody has a page open: the therapist gets a notice that carries no words.
        await JsonAsync(await person.Api.PostAsJsonAsync($"/api/v1/care/{careId}/messages", new { text = canary }), HttpStatusCode.Created);
        var notice = await app.MailAsync(therapist.Email, "new message");
        Assert.DoesNotContain(canary, notice.Body);
        Assert.DoesNotContain("Mo", notice.Body);
        Assert.False(await app.HoldsPlaintextAsync(canary, "CareMessages", "Body"));

        await using var therapistStream = await LiveEvents.OpenAsync(app, therapist);
        await using var personStream = await LiveEvents.OpenAsync(app, person);
        await using var strangerStream = await LiveEvents.OpenAsync(app, stranger);
        await JsonAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/care/{careId}/messages", new { text = "Thank you for writing. I'm here on Tuesday." }), HttpStatusCode.Created);
        Assert.Equal(("care.message", careId), await personStream.NextAsync("care.message"));
        await JsonAsync(await person.Api.PostAsJsonAsync($"/api/v1/care/{careId}/messages", new { text = "Tuesday works." }), HttpStatusCode.Created);
        Assert.Equal(("care.message", careId), await therapistStream.NextAsync("care.message"));

        var seen = await JsonAsync(await therapist.Api.GetAsync($"/api/v1/care/{careId}/messages"), HttpStatusCode.OK);
        Assert.Equal([canary, "Thank you for writing. I'm here on Tuesday.", "Tuesday works."], seen.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToArray());
        Assert.Equal("Mo", seen.GetProperty("with").GetString());
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync($"/api/v1/care/{careId}/messages", new { text = " " }), "text");
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync($"/api/v1/care/{careId}/messages", new { text = new string('x', CareMessages.MaxChat + 1) }), "text");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.GetAsync($"/api/v1/care/{careId}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.PostAsJsonAsync($"/api/v1/care/{careId}/messages", new { text = "hi" })).StatusCode);
        Assert.False(strangerStream.Events.Reader.TryRead(out _));
        using var pages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("Tuesday works.", await pages.GetPageAsync($"/care/{careId}/messages"));

        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/care/{careId}"), HttpStatusCode.NoContent);
        Assert.Equal(("care.ended", careId), await therapistStream.NextAsync("care.ended"));
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/care/{careId}/messages")).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Set<CareMessage>(), m => m.CareId == Guid.Parse(careId))));
    }

    [Fact]
    public async Task SessionNotes_AreTheTherapistsAlone_OutliveTheConnection_AndGoWithTheirAccount()
    {
        var person = await app.RegisterAsync("Noor");
        var therapist = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Notes");
        await Therapists.CreateAsync(other, "Dr Other");
        var careId = await Therapists.ConnectAsync(person, therapist, profileId, journey: true, checkIns: true, activations: true);
        const string canary = "Session Note Canary Dunlin 1188";

        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/notes", new { sessionDate = "yesterday", text = canary }), "sessionDate");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/notes", new { sessionDate = "2026-11-20" }), "text");
        var note = await JsonAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/notes", new { sessionDate = "2026-11-20", text = canary }), HttpStatusCode.Created);
        var noteId = note.GetProperty("id").GetString()!;
        Assert.Equal("Noor", note.GetProperty("personName").GetString());
        Assert.False(await app.HoldsPlaintextAsync(canary, "SessionNotes", "Text"));

        // Nobody else: not the person, not another therapist.
        Assert.Equal(HttpStatusCode.Forbidden, (await person.Api.GetAsync($"/api/v1/caseload/{person.Id}/notes")).StatusCode);
        Assert.DoesNotContain(canary, await person.Api.GetStringAsync("/api/v1/me/export"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.GetAsync($"/api/v1/caseload/{person.Id}/notes")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.PutAsJsonAsync($"/api/v1/notes/{noteId}", new { text = "mine now" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Api.DeleteAsync($"/api/v1/notes/{noteId}")).StatusCode);
        Assert.DoesNotContain(canary, await other.Api.GetStringAsync("/api/v1/notes/export"));

        await JsonAsync(await therapist.Api.PutAsJsonAsync($"/api/v1/notes/{noteId}", new { sessionDate = "2026-11-21", text = canary + " (revised)" }), HttpStatusCode.OK);
        Assert.Contains(canary + " (revised)", await therapist.Api.GetStringAsync("/api/v1/notes/export"));
        Assert.Contains(canary, await therapist.Api.GetStringAsync("/api/v1/me/export"));

        // The connection ends: the notes stay readable to their author, and no new ones can be added.
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/care/{careId}"), HttpStatusCode.NoContent);
        var kept = await JsonAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}/notes"), HttpStatusCode.OK);
        Assert.Equal("2026-11-21", kept.GetProperty("items")[0].GetProperty("sessionDate").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/notes", new { text = "after" })).StatusCode);

        // Deleting the therapist's account deletes the notes.
        await Expect.StatusAsync(await therapist.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = therapist.Password }) }), HttpStatusCode.NoContent);
        Assert.Equal(0, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<SessionNote>(), n => n.PersonId == person.Id)));
    }

    [Fact]
    public async Task Appointments_AreProposedByTheTherapist_ChosenByThePerson_InTheirOwnTimeZone_WithACalendarFile()
    {
        var person = await app.RegisterAsync("Kai");
        var therapist = await app.RegisterAsync("Dr Time");
        var stranger = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Time");
        await Therapists.ConnectAsync(person, therapist, profileId);
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "America/New_York" }), HttpStatusCode.OK);
        await Expect.StatusAsync(await therapist.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Europe/Warsaw" }), HttpStatusCode.OK);
        var day = DateTime.UtcNow.Date.AddDays(10);
        string At(int hour) => new DateTimeOffset(day.AddHours(hour), TimeSpan.Zero).ToString("o");
        const string where = "Room 4, Canary Street Clinic 5093";

        var url = $"/api/v1/caseload/{person.Id}/appointments";
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync(url, new { options = Array.Empty<string>() }), "options");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync(url, new { options = new[] { At(9), At(10), At(11), At(12) } }), "options");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync(url, new { options = new[] { "2020-01-01T10:00:00Z" } }), "options");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync(url, new { options = new[] { day.AddHours(9).ToString("yyyy-MM-ddTHH:mm:ss") } }), "options");
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsJsonAsync(url, new { options = new[] { At(9) }, minutes = 5 }), "minutes");
        Assert.Equal(HttpStatusCode.NotFound, (await (await SomeOtherTherapistAsync()).Api.PostAsJsonAsync(url, new { options = new[] { At(9) } })).StatusCode);
        var proposed = await JsonAsync(await therapist.Api.PostAsJsonAsync(url, new { options = new[] { At(15), At(17) }, minutes = 50, where }), HttpStatusCode.Created);
        Assert.Equal(2, proposed.GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await person.Api.GetAsync("/api/v1/appointments")).StatusCode);
        Assert.False(await app.HoldsPlaintextAsync(where, "CareAppointments", "Where"));

        var mine = (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/appointments")).GetProperty("items").EnumerateArray().ToList();
        var first = mine.Single(a => a.GetProperty("startsAt").GetDateTimeOffset() == day.AddHours(15));
        Assert.Equal("America/New_York", first.GetProperty("timeZone").GetString());
        var newYork = TimeZoneInfo.ConvertTimeFromUtc(day.AddHours(15), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Equal(newYork.ToString("ddd d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("localStart").GetString());
        Assert.Equal(where, first.GetProperty("where").GetString());
        var theirs = (await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/appointments")).GetProperty("items").EnumerateArray().First();
        Assert.Equal("Europe/Warsaw", theirs.GetProperty("timeZone").GetString());

        var id = first.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.PostAsync($"/api/v1/appointments/{id}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.DeleteAsync($"/api/v1/appointments/{id}")).StatusCode);
        await Expect.ProblemNamingAsync(await therapist.Api.PostAsync($"/api/v1/appointments/{id}/accept", null), "appointment");
        Assert.Equal(HttpStatusCode.NotFound, (await person.Api.GetAsync($"/api/v1/appointments/{id}/ics")).StatusCode); // not agreed yet
        var agreed = await JsonAsync(await person.Api.PostAsync($"/api/v1/appointments/{id}/accept", null), HttpStatusCode.OK);
        Assert.Equal("accepted", agreed.GetProperty("status").GetString());
        var left = (await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/appointments")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(id, Assert.Single(left).GetProperty("id").GetString()); // the other option went

        var ics = await therapist.Api.GetStringAsync($"/api/v1/appointments/{id}/ics");
        Assert.Contains("BEGIN:VEVENT\r\n", ics);
        Assert.Contains($"DTSTART:{day.AddHours(15):yyyyMMdd'T'HHmmss'Z'}\r\n", ics);
        Assert.Contains($"DTEND:{day.AddHours(15).AddMinutes(50):yyyyMMdd'T'HHmmss'Z'}\r\n", ics);
        Assert.Contains("SUMMARY:Session with Kai", ics);
        Assert.Contains("LOCATION:Room 4\\, Canary Street Clinic 5093", ics);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Api.GetAsync($"/api/v1/appointments/{id}/ics")).StatusCode);
        using var pages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("Agreed", await pages.GetPageAsync("/care"));

        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/appointments/{id}"), HttpStatusCode.NoContent);
        Assert.Empty((await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/appointments")).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(where, (await app.MailAsync(therapist.Email, "changed")).Body);
    }

    private async Task<Person> SomeOtherTherapistAsync()
    {
        var other = await app.RegisterAsync();
        await Therapists.CreateAsync(other, "Dr Someone Else");
        return other;
    }

    [Fact]
    public async Task APersonSharesOneItemWithTheirTherapist_WhoReadsAndWitnessesIt_AndItEndsWithTheConnection()
    {
        var person = await app.RegisterAsync("Rae");
        var therapist = await app.RegisterAsync("Dr Witness");
        var profileId = await Therapists.CreateAsync(therapist, "Dr Witness");
        const string canary = "Shared With Therapist Canary Snipe 8260";
        var entry = await JsonAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "For my therapist", text = canary }), HttpStatusCode.Created);
        var other = await JsonAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "Just mine", text = "Not for anyone" }), HttpStatusCode.Created);
        var entryId = entry.GetProperty("id").GetString();

        // Asked but not yet accepted: not someone to share with.
        var careId = (await JsonAsync(await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { }), HttpStatusCode.Created)).GetProperty("id").GetString();
        await Expect.ProblemNamingAsync(await person.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entryId, withUserId = therapist.Id }), "withUserId");
        await JsonAsync(await therapist.Api.PostAsync($"/api/v1/care/requests/{careId}/accept", null), HttpStatusCode.OK);

        var share = await JsonAsync(await person.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "journal", itemId = entryId, withUserId = therapist.Id }), HttpStatusCode.Created);
        var shareId = share.GetProperty("id").GetString();
        Assert.Equal("Dr Witness", share.GetProperty("with").GetString());
        var withMe = await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/shared-with-me");
        Assert.Equal(shareId, Assert.Single(withMe.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var read = await JsonAsync(await therapist.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.OK);
        Assert.Contains(canary, read.GetRawText());
        Assert.Equal("Rae", read.GetProperty("with").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/journal/{other.GetProperty("id").GetString()}")).StatusCode);
        var log = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/access-log");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("actorId").GetString() == therapist.Id && e.GetProperty("itemId").GetString() == entryId);

        const string reflection = "Therapist Reflection Canary Stint 3317";
        await JsonAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/shares/{shareId}/witness", new { text = reflection }), HttpStatusCode.Created);
        Assert.False(await app.HoldsPlaintextAsync(reflection, "WitnessReflections", "Text"));
        var mine = await JsonAsync(await person.Api.GetAsync($"/api/v1/shares/{shareId}"), HttpStatusCode.OK);
        Assert.Equal(reflection, mine.GetProperty("reflections")[0].GetProperty("text").GetString());
        using var pages = await app.SignInPagesAsync(person.Email);
        Assert.Contains("Dr Witness (your therapist)", await pages.GetPageAsync($"/shares/new?type=journal&id={entryId}"));

        // Ending the connection ends the share, at once.
        await Expect.StatusAsync(await person.Api.DeleteAsync($"/api/v1/care/{careId}"), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await therapist.Api.GetAsync($"/api/v1/shares/{shareId}")).StatusCode);
        Assert.Empty((await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/shared-with-me")).GetProperty("items").EnumerateArray());
        Assert.Empty((await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/shares")).GetProperty("items").EnumerateArray());
    }
}
