using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>
/// The facilitator's attendance table on Manage says what it counts: "said they'd come" is members'
/// answers only, and "came" is counted as people check in to an open room, not only once the
/// meeting is over; each meeting that has begun lists who came. Members never see it.
/// </summary>
public sealed class ManageAttendanceTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static string Row(string page, int number)
    {
        var at = page.IndexOf($"<th scope=\"row\">{number} · ", StringComparison.Ordinal);
        Assert.True(at >= 0, page);
        return page[at..page.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    private static string WhoCame(string page, int number)
    {
        var at = page.IndexOf($"data-who-came=\"{number}\"", StringComparison.Ordinal);
        return at < 0 ? "" : page[at..page.IndexOf("</details>", at, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task AnOpenRoom_CountsWhoCameAsTheyCheckIn_AndSaidTheyCome_IsOnlyTheAnswers()
    {
        var f = await app.RegisterAsync();
        var sam = await app.RegisterAsync();
        var kit = await app.RegisterAsync();
        var ana = await app.RegisterAsync();
        var g = await SeedRoomAsync(app, f, [(sam, "Sam"), (kit, "Kit"), (ana, "Ana")]);
        await Expect.StatusAsync(await kit.Api.PutAsJsonAsync($"/api/v1/groups/{g.Id}/meetings/{g.MeetingId}/attendance", new { coming = true }), HttpStatusCode.OK);

        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        v = (await AcceptedAsync(sam, g, "checkIn", v, new { suds = 3, word = "here" })).GetProperty("version").GetInt64();

        using var pages = await app.SignInPagesAsync(f.Email);
        var manage = await pages.GetPageAsync($"/groups/{g.Id}/manage");
        Assert.Contains("<th scope=\"col\">Said they'd come</th>", manage, StringComparison.Ordinal);
        // Sam came without answering; Kit answered and isn't here yet: one said, one came so far.
        Assert.Matches("<td>1</td>\\s*<td>1 so far</td>", Row(manage, 1));
        var who = WhoCame(manage, 1);
        Assert.Contains("Sam: came", who, StringComparison.Ordinal);
        Assert.Contains("Kit: said they&#x27;d come, not here yet", who, StringComparison.Ordinal);
        Assert.Contains("Ana: not here yet", who, StringComparison.Ordinal);

        v = (await AcceptedAsync(kit, g, "checkIn", v, new { suds = 2, word = "ok" })).GetProperty("version").GetInt64();
        Assert.Matches("<td>1</td>\\s*<td>2 so far</td>", Row(await pages.GetPageAsync($"/groups/{g.Id}/manage"), 1));

        // Once the meeting's time is over, the count stands on its own and no one is "not here yet".
        app.Clock.Advance(TimeSpan.FromMinutes(90));
        f = await app.SignInAsync(f.Email);
        await AcceptedAsync(f, g, "close", v);
        using var later = await app.SignInPagesAsync(f.Email);
        manage = await later.GetPageAsync($"/groups/{g.Id}/manage");
        Assert.Matches("<td>1</td>\\s*<td>2</td>", Row(manage, 1));
        Assert.Contains("Ana: didn&#x27;t come", WhoCame(manage, 1), StringComparison.Ordinal);

        using var samPages = await app.SignInPagesAsync(sam.Email);
        Assert.Equal(HttpStatusCode.NotFound, (await samPages.Http.GetAsync($"/groups/{g.Id}/manage")).StatusCode);
    }
}
