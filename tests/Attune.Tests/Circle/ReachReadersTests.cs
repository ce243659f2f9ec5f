using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Circle;

/// <summary>A reach is read through the relationship it came by, while that relationship lasts and lets its supporter receive reaches.</summary>
public sealed class ReachReadersTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static async Task<string> ReachAsync(Person owner, string message) =>
        JsonDocument.Parse(await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/reaches", new { message, urgency = "now" }), HttpStatusCode.Created))
            .RootElement.GetProperty("id").GetString()!;

    [Fact]
    public async Task AReachOfAnEndedRelationship_StaysClosed_WhenThePersonIsAddedAgain()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        var memberId = await Circles.JoinAsync(app, owner, supporter, "Once");
        var old = await ReachAsync(owner, "Ended Relationship Canary 5120");
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/reaches/{old}"), HttpStatusCode.OK);

        await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/circle/{memberId}"), HttpStatusCode.NoContent);
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/reaches/{old}"), HttpStatusCode.NotFound);

        await Circles.JoinAsync(app, owner, supporter, "Again");
        var closed = await supporter.Api.GetAsync($"/api/v1/reaches/{old}");
        Assert.DoesNotContain("Canary", await Expect.StatusAsync(closed, HttpStatusCode.NotFound), StringComparison.Ordinal);
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{old}/responses", new { kind = "here" }), HttpStatusCode.NotFound);
        using var pages = await app.SignInPagesAsync(supporter.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.Http.GetAsync($"/reaches/{old}")).StatusCode);

        // What comes through the new relationship is theirs to read.
        var fresh = await ReachAsync(owner, "New Relationship Words");
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/reaches/{fresh}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task TurningOffReceiveReaches_ClosesTheReachesToThatSupporter()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        var memberId = await Circles.JoinAsync(app, owner, supporter, "Paused");
        var id = await ReachAsync(owner, "Paused Supporter Canary 6630");
        await Expect.StatusAsync(await owner.Api.PatchAsJsonAsync($"/api/v1/circle/{memberId}", new { canReceiveReaches = false }), HttpStatusCode.OK);
        await Expect.StatusAsync(await supporter.Api.GetAsync($"/api/v1/reaches/{id}"), HttpStatusCode.NotFound);
        await Expect.StatusAsync(await supporter.Api.PostAsJsonAsync($"/api/v1/reaches/{id}/responses", new { kind = "here" }), HttpStatusCode.NotFound);
        // The sender still sees their own reach.
        await Expect.StatusAsync(await owner.Api.GetAsync($"/api/v1/reaches/{id}"), HttpStatusCode.OK);
    }
}
