using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Attune.Tests.Support;

/// <summary>Making therapists and connecting people with them, through the API as people would.</summary>
public static class Therapists
{
    public static object Profile(string name, string bio = "", bool published = true, string[]? modalities = null, string[]? formats = null,
        string country = "GB", string[]? languages = null, bool accepting = true, string? city = null) => new
        {
            name,
            credentials = "MSc, registered psychotherapist",
            licenceNumber = "REG-" + name.GetHashCode().ToString("x"),
            licenceRegion = "England",
            modalities = modalities ?? ["ifs", "somatic"],
            formats = formats ?? ["online"],
            city,
            country,
            languages = languages ?? ["English"],
            feeMin = 40,
            feeMax = 90,
            currency = "GBP",
            slidingScale = true,
            accepting,
            bio,
            published,
        };

    /// <summary>Creates a published profile for <paramref name="therapist"/>; returns its id.</summary>
    public static async Task<string> CreateAsync(Person therapist, string name, string bio = "", object? profile = null)
    {
        var response = await therapist.Api.PutAsJsonAsync("/api/v1/therapist-profile", profile ?? Profile(name, bio));
        var body = await Expect.StatusAsync(response, HttpStatusCode.Created);
        return JsonDocument.Parse(body).RootElement.GetProperty("profile").GetProperty("id").GetString()!;
    }

    /// <summary>The person asks, the therapist says yes, the person sets the consents. Returns the relationship's id.</summary>
    public static async Task<string> ConnectAsync(Person person, Person therapist, string profileId, bool journey = false, bool checkIns = false, bool activations = false, string? message = null)
    {
        var request = await person.Api.PostAsJsonAsync($"/api/v1/therapists/{profileId}/requests", new { message });
        var careId = JsonDocument.Parse(await Expect.StatusAsync(request, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        await Expect.StatusAsync(await therapist.Api.PostAsync($"/api/v1/care/requests/{careId}/accept", null), HttpStatusCode.OK);
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync($"/api/v1/care/{careId}", new { journey, checkIns, activations }), HttpStatusCode.OK);
        return careId;
    }
}
