using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Account;
using Attune.Tests.Support;

namespace Attune.Tests.Care;

/// <summary>
/// What a therapist's standing rests on: the verified badge holds only for what an administrator
/// checked; a hidden profile does no work with people; and without a consent a therapist doesn't
/// even see when something was done.
/// </summary>
public sealed class TherapistTrustTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private async Task<Person> AdminAsync()
    {
        var admin = await app.RegisterAsync();
        Assert.Equal(0, await Administrators.RunCommandAsync(app.Services, ["admin", "grant", admin.Email]));
        return await app.SignInAsync(admin.Email);
    }

    private static async Task<bool> VerifiedAsync(HttpClient anyone, string profileId) =>
        (await anyone.GetFromJsonAsync<JsonElement>($"/api/v1/therapists/{profileId}")).GetProperty("verified").GetBoolean();

    [Theory]
    [InlineData("name", "Dr Someone Else")]
    [InlineData("credentials", "PhD, clinical psychologist")]
    [InlineData("licenceNumber", "REG-OTHER")]
    [InlineData("licenceRegion", "Scotland")]
    [InlineData("region", "Yorkshire")]
    public async Task ChangingWhatWasChecked_TakesTheVerifiedBadgeAway(string field, string value)
    {
        var admin = await AdminAsync();
        var therapist = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Verified");
        await Expect.StatusAsync(await admin.Api.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { verified = true }), HttpStatusCode.NoContent);
        using var anyone = app.CreateClient();
        Assert.True(await VerifiedAsync(anyone, profileId));

        // Saving the same profile again keeps it; changing the bio keeps it.
        var profile = JsonSerializer.SerializeToNode(Therapists.Profile("Dr Verified"))!.AsObject();
        profile["licenceNumber"] = (await therapist.Api.GetFromJsonAsync<JsonElement>("/api/v1/therapist-profile")).GetProperty("licenceNumber").GetString();
        profile["bio"] = "A new line about how I work.";
        await Expect.StatusAsync(await therapist.Api.PutAsJsonAsync("/api/v1/therapist-profile", profile), HttpStatusCode.OK);
        Assert.True(await VerifiedAsync(anyone, profileId));

        profile[field] = value;
        await Expect.StatusAsync(await therapist.Api.PutAsJsonAsync("/api/v1/therapist-profile", profile), HttpStatusCode.OK);
        Assert.False(await VerifiedAsync(anyone, profileId));
    }

    [Fact]
    public async Task AHiddenProfile_KeepsNoCaseloadAccess_AndCannotAssign()
    {
        var admin = await AdminAsync();
        var therapist = await app.RegisterAsync();
        var person = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Hidden");
        await Therapists.ConnectAsync(person, therapist, profileId, journey: true, checkIns: true, activations: true);
        await Expect.StatusAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}"), HttpStatusCode.OK);

        await Expect.StatusAsync(await admin.Api.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { hidden = true }), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await therapist.Api.GetAsync("/api/v1/caseload"), HttpStatusCode.Forbidden);
        await Expect.StatusAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}"), HttpStatusCode.Forbidden);
        await Expect.StatusAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}/check-ins"), HttpStatusCode.Forbidden);
        await Expect.StatusAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = "2030-01-01" }), HttpStatusCode.Forbidden);
        Assert.Empty((await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assignments")).GetProperty("items").EnumerateArray());
        using var pages = await app.SignInPagesAsync(therapist.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.Http.GetAsync($"/caseload/{person.Id}")).StatusCode);
        Assert.DoesNotContain(person.Id, await pages.GetPageAsync("/caseload"), StringComparison.Ordinal);

        // Shown again, the work goes on.
        await Expect.StatusAsync(await admin.Api.PostAsJsonAsync($"/api/v1/admin/therapists/{profileId}/verification", new { hidden = false }), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await therapist.Api.GetAsync($"/api/v1/caseload/{person.Id}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task WithoutTheMatchingConsent_ATherapistDoesNotSeeWhenSomethingWasDone()
    {
        var therapist = await app.RegisterAsync();
        var person = await app.RegisterAsync();
        var profileId = await Therapists.CreateAsync(therapist, "Dr Consent");
        var careId = await Therapists.ConnectAsync(person, therapist, profileId);
        var due = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Expect.StatusAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { instrument = "gad7", dueAt = due }), HttpStatusCode.Created);
        await Expect.StatusAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/assignments", new { practice = "safe-place", dueAt = due }), HttpStatusCode.Created);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/assessments/gad7/responses", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1 } }), HttpStatusCode.Created);
        var session = JsonDocument.Parse(await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/practices/safe-place/sessions", new { sudsBefore = 4 }), HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync($"/api/v1/practice-sessions/{session}", new { sudsAfter = 2, completed = true }), HttpStatusCode.OK);

        // The person sees both done.
        var mine = (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/assignments")).GetProperty("items").EnumerateArray().ToList();
        Assert.All(mine, a => Assert.NotEqual(JsonValueKind.Null, a.GetProperty("doneAt").ValueKind));

        JsonElement Assignment(JsonElement entry, string kind) => entry.GetProperty("assignments").EnumerateArray().Single(a => a.GetProperty("kind").GetString() == kind);
        var none = await therapist.Api.GetFromJsonAsync<JsonElement>($"/api/v1/caseload/{person.Id}");
        Assert.Equal(JsonValueKind.Null, Assignment(none, "checkIn").GetProperty("doneAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, Assignment(none, "practice").GetProperty("doneAt").ValueKind);

        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { checkIns = true }), HttpStatusCode.OK);
        var checkIns = await therapist.Api.GetFromJsonAsync<JsonElement>($"/api/v1/caseload/{person.Id}");
        Assert.NotEqual(JsonValueKind.Null, Assignment(checkIns, "checkIn").GetProperty("doneAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, Assignment(checkIns, "practice").GetProperty("doneAt").ValueKind);

        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { journey = true }), HttpStatusCode.OK);
        var both = await therapist.Api.GetFromJsonAsync<JsonElement>($"/api/v1/caseload/{person.Id}");
        Assert.NotEqual(JsonValueKind.Null, Assignment(both, "practice").GetProperty("doneAt").ValueKind);
    }
}
