using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Home;

/// <summary>
/// Today's way into a group meeting: the facilitator and members of a group whose meeting opens
/// within the hour or is open now see one card with the same link the meetings page gives them;
/// nothing when no meeting is near or the room has closed, and never for someone outside the group.
/// </summary>
public sealed class TodayGroupRoomTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Card = "data-today-room";

    /// <summary>The card's own markup (empty when there is none), so checks about it cannot match the rest of Today.</summary>
    private static string CardOf(string today)
    {
        var at = today.IndexOf(Card, StringComparison.Ordinal);
        return at < 0 ? "" : today[at..today.IndexOf("</section>", at, StringComparison.Ordinal)];
    }

    private async Task<string> TodayCardAsync(Person who)
    {
        using var pages = await app.SignInPagesAsync(who.Email);
        return CardOf(await pages.GetPageAsync("/"));
    }

    [Fact]
    public async Task AMeetingWithinTheHour_ShowsTheWayIn_OpenNowSaysJoin_AndNothingForOthersOrWhenItIsOver()
    {
        var f = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var kit = await app.RegisterAsync();
        var outsider = await app.RegisterAsync();
        var g = await SeedRoomAsync(app, f, [(sam, "Sam"), (kit, "Kit Quillon")], startsIn: TimeSpan.FromMinutes(30));
        var url = $"href=\"/groups/{g.Id}/meetings/{g.MeetingId}\"";

        var waiting = await TodayCardAsync(sam);
        Assert.Contains("Your group meets soon", waiting, StringComparison.Ordinal);
        Assert.Contains("Meeting your younger self", waiting, StringComparison.Ordinal);
        Assert.Contains($"{url}>Go to the waiting room</a>", waiting, StringComparison.Ordinal);
        Assert.Contains($"{url}>Open the room</a>", await TodayCardAsync(f), StringComparison.Ordinal);
        Assert.Equal("", await TodayCardAsync(outsider));

        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(kit, g, "checkIn", v, new { suds = 3, word = "Thistledown" })).GetProperty("version").GetInt64();
        var open = await TodayCardAsync(sam);
        Assert.Contains("Your group is meeting now", open, StringComparison.Ordinal);
        Assert.Contains($"{url}>Join the room</a>", open, StringComparison.Ordinal);
        // Nothing of the other members: not their names, not their words.
        Assert.DoesNotContain("Quillon", open, StringComparison.Ordinal);
        Assert.DoesNotContain("Thistledown", open, StringComparison.Ordinal);
        Assert.Contains($"{url}>Join the room</a>", await TodayCardAsync(f), StringComparison.Ordinal);
        Assert.Equal("", await TodayCardAsync(outsider));

        await AcceptedAsync(f, g, "close", v);
        Assert.Equal("", await TodayCardAsync(sam));
    }

    [Fact]
    public async Task AMeetingDaysAway_ShowsNothingYet_UntilItsHourComes()
    {
        var f = await app.RegisterAsync();
        var ana = await app.RegisterAsync();
        var g = await SeedRoomAsync(app, f, [(ana, "Ana")], startsIn: TimeSpan.FromDays(2));
        Assert.Equal("", await TodayCardAsync(ana));
        Assert.Equal("", await TodayCardAsync(f));

        // A member who said they can't come is still shown the way in: plans change.
        await Expect.StatusAsync(await ana.Api.PutAsJsonAsync($"/api/v1/groups/{g.Id}/meetings/{g.MeetingId}/attendance", new { coming = false }), HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(20));
        Assert.Contains($"href=\"/groups/{g.Id}/meetings/{g.MeetingId}\">Go to the waiting room</a>", await TodayCardAsync(ana), StringComparison.Ordinal);
    }
}
