using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Infrastructure.Push;
using Attune.Tests.Push;
using Attune.Tests.Support;
using static Attune.Tests.Support.Groups;

namespace Attune.Tests.Groups;

/// <summary>
/// What a group sends to a lock screen: a private word to a facilitator whose page is closed, and
/// "we missed you" to a member who said they'd come and didn't. Each push, opened with the browser's
/// own key, carries Attune's words and a path, never the group's title, anyone's name in the group,
/// or what anyone wrote.
/// </summary>
public sealed class GroupsPushPrivacyTests(PushApp app) : IClassFixture<PushApp>
{
    [Fact]
    public async Task GroupPushes_CarryNoTitleNoNamesAndNoWords()
    {
        var f = await app.RegisterAsync("Facilitator Quillon");
        var sam = await app.RegisterAsync("Sam Quillon");
        var kit = await app.RegisterAsync();
        var g = await SeedRoomAsync(app, f, [(sam, "Samwise Canary"), (kit, "Kit")]);
        var toF = app.PushService.NewEndpoint();
        var toSam = app.PushService.NewEndpoint();
        var (fBrowser, fAuth) = await PushApp.SubscribeAsync(f, toF.Url);
        var (samBrowser, samAuth) = await PushApp.SubscribeAsync(sam, toSam.Url);
        using var _f = fBrowser;
        using var _s = samBrowser;
        await app.SettledAsync();

        // A private word from Sam to the facilitator, whose page is not open.
        const string words = "Private Canary Wren 4410 I am not okay tonight";
        var sent = await sam.Api.PostAsJsonAsync($"/api/v1/groups/{g.Id}/members/{g.MemberIdOf(sam)}/messages", new { text = words });
        await Expect.StatusAsync(sent, HttpStatusCode.Created);
        await toF.WaitForAsync();
        var (_, fBody) = Assert.Single(toF.Received);
        var fNotice = Encoding.UTF8.GetString(WebPushCrypto.Decrypt(fBody, fBrowser, fAuth));
        Assert.Equal("There is a new message for you.", JsonDocument.Parse(fNotice).RootElement.GetProperty("body").GetString());
        Assert.Equal($"/groups/{g.Id}/members/{g.MemberIdOf(sam)}/messages", JsonDocument.Parse(fNotice).RootElement.GetProperty("url").GetString());

        // Sam said they'd come; the meeting opens and closes without them.
        var coming = await sam.Api.PutAsJsonAsync($"/api/v1/groups/{g.Id}/meetings/{g.MeetingId}/attendance", new { coming = true });
        await Expect.StatusAsync(coming, HttpStatusCode.OK);
        var v = (await AcceptedAsync(f, g, "open", 0)).GetProperty("version").GetInt64();
        await AcceptedAsync(f, g, "close", v);
        await app.JobsDoneAsync();
        await app.SettledAsync();
        await toSam.WaitForAsync();
        var samNotices = toSam.Received.Select(r => Encoding.UTF8.GetString(WebPushCrypto.Decrypt(r.Body, samBrowser, samAuth))).ToList();
        Assert.Contains(samNotices, n => JsonDocument.Parse(n).RootElement.GetProperty("url").GetString() == $"/groups/{g.Id}");

        foreach (var notice in samNotices.Append(fNotice))
            foreach (var secret in new[] { "Canary", "Wren", "not okay", "Quillon", "Samwise", "Meeting your younger self", "Noor", sam.Email, f.Email })
                Assert.DoesNotContain(secret, notice, StringComparison.OrdinalIgnoreCase);
    }
}
