using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Attune.Tests.Support;

public static class Circles
{
    /// <summary><paramref name="supporter"/> joins <paramref name="owner"/>'s circle through a real invitation email; returns the member id.</summary>
    public static async Task<string> JoinAsync(AttuneApp app, Person owner, Person supporter, string name, bool canSeeShared = true)
    {
        var invite = await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name, canSeeShared });
        await Expect.StatusAsync(invite, HttpStatusCode.Created);
        var token = Mail.LinkIn(await app.MailAsync(supporter.Email, "invited")).Split('/')[^1];
        var accepted = await supporter.Api.PostAsync($"/api/v1/circle/invitations/{token}/accept", null);
        return JsonDocument.Parse(await Expect.StatusAsync(accepted, HttpStatusCode.OK)).RootElement.GetProperty("memberId").GetString()!;
    }
}
