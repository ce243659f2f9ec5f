using Attune.Tests.Support;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>
/// Grounding from inside a meeting: the room's Grounding button says where the person came from, and
/// the grounding page tells them their place is kept and offers the way back. The page still opens for
/// anyone; the note shows only to a signed-in person and only for a well-formed room address.
/// </summary>
public sealed class RoomGroundingTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Kept = "Your place in the room is kept while you're here.";

    [Fact]
    public async Task GroundingFromTheRoom_SaysThePlaceIsKept_AndLeadsBack()
    {
        var f = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var g = await SeedRoomAsync(app, f, [(sam, "Sam")]);
        await AcceptedAsync(f, g, "open", 0);
        var room = $"/groups/{g.Id}/meetings/{g.MeetingId}";

        using var samPages = await app.SignInPagesAsync(sam.Email);
        var meeting = await samPages.GetPageAsync(room);
        Assert.Contains($"id=\"room-grounding\" href=\"/grounding?room={g.Id}/{g.MeetingId}\"", meeting, StringComparison.Ordinal);

        var grounding = await samPages.GetPageAsync($"/grounding?room={g.Id}/{g.MeetingId}");
        Assert.Contains(Kept, grounding, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{room}\">Back to the room</a>", grounding, StringComparison.Ordinal);

        // Anything but two ids is ignored: no note, and nothing from the address is echoed into the page.
        var odd = await samPages.GetPageAsync("/grounding?room=%2F%2Fevil.example%2Fx");
        Assert.DoesNotContain(Kept, odd, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", odd, StringComparison.Ordinal);

        // Signed out, grounding is open as always, without the room's note.
        using var anonymous = app.CreateClient();
        var open = await anonymous.GetStringAsync($"/grounding?room={g.Id}/{g.MeetingId}");
        Assert.Contains("<h1>Grounding</h1>", open, StringComparison.Ordinal);
        Assert.DoesNotContain(Kept, open, StringComparison.Ordinal);
    }
}
