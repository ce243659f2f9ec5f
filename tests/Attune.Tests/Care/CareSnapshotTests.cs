using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Groups;
using Attune.Tests.Support;

namespace Attune.Tests.Care;

/// <summary>
/// The care page is kept briefly per person, as Today is: opened again it reads nothing of care,
/// yet what the therapist does for the person (a time proposed) shows at once, and a therapist's
/// own care page is theirs alone.
/// </summary>
public sealed class CareSnapshotTests(CountingApp app) : IClassFixture<CountingApp>
{
    [Fact]
    public async Task AKeptCarePage_ReadsNothing_AndTheTherapistsProposedTimeShowsAtOnce()
    {
        var person = await app.RegisterAsync("Kept Care");
        var therapist = await app.RegisterAsync("Dr. Kept");
        await Therapists.ConnectAsync(person, therapist, await Therapists.CreateAsync(therapist, "Dr. Kept"));
        using var pages = await app.SignInPagesAsync(person.Email);
        var first = await pages.GetPageAsync("/care");
        Assert.Contains("Dr. Kept", first, StringComparison.Ordinal);
        Assert.DoesNotContain("None of these times work", first, StringComparison.Ordinal);
        var afresh = await app.LastQueriesAsync("/care");
        Assert.True(afresh >= 4, $"Gathered afresh, the care page ran {afresh} commands.");

        Assert.Contains("Dr. Kept", await pages.GetPageAsync("/care"), StringComparison.Ordinal);
        // Kept: nothing of care is read (at most the sign-in session is checked again, if its short check lapsed).
        Assert.True(await app.LastQueriesAsync("/care") <= 1, "The kept care page read the database.");

        var at = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(6).AddHours(15), TimeSpan.Zero).ToString("o");
        await Expect.StatusAsync(await therapist.Api.PostAsJsonAsync($"/api/v1/caseload/{person.Id}/appointments", new { options = new[] { at } }), HttpStatusCode.Created);
        Assert.Contains("None of these times work", await pages.GetPageAsync("/care"), StringComparison.Ordinal);

        using var theirs = await app.SignInPagesAsync(therapist.Email);
        Assert.DoesNotContain("None of these times work", await theirs.GetPageAsync("/care"), StringComparison.Ordinal);
    }
}
