using System.Net;
using System.Text.Json;

namespace Attune.Tests.Support;

/// <summary>Members for a room's tests, joined the way an unlisted group is joined: by its invitation link.</summary>
public static class GroupRooms
{
    /// <summary>The group's invitation link, as its facilitator makes it: the token at its end.</summary>
    public static async Task<string> InvitationTokenAsync(Person facilitator, string groupId)
    {
        var link = await facilitator.Api.PostAsync($"/api/v1/groups/{groupId}/invitation-link", null);
        return JsonDocument.Parse(await Expect.StatusAsync(link, HttpStatusCode.OK)).RootElement.GetProperty("url").GetString()!.Split('/')[^1];
    }

    /// <summary>Joins by the invitation link and accepts the agreements under <paramref name="name"/>; returns the member id.</summary>
    public static async Task<string> JoinAsync(Person member, string groupId, string token, string name)
    {
        await Expect.StatusAsync(await member.Api.PostAsync($"/api/v1/groups/join/{token}", null), HttpStatusCode.OK);
        return await Groups.AgreeAsync(member, groupId, name);
    }
}
