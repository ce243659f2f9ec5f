using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Infrastructure.Live;
using Attune.Tests.Support;

namespace Attune.Tests.Account;

/// <summary>
/// A live event stream lives only as long as its session: it ends within seconds of a sign-out,
/// an ended device, a new password or a deleted account (on other nodes too: EventRelayTests).
/// A person can't hold open more than a few.
/// </summary>
public sealed class StreamLifetimeTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private static async Task EndsAsync(LiveEvents stream, string after)
    {
        var ended = await Task.WhenAny(stream.Ended, Task.Delay(Within)) == stream.Ended;
        Assert.True(ended, $"The stream was still open {Within.TotalSeconds:0} s after {after}.");
    }

    [Fact]
    public async Task EndingADevice_EndsItsStream()
    {
        var person = await app.RegisterAsync();
        var other = await app.SignInAsync(person.Email);
        await using var stream = await LiveEvents.OpenAsync(app, person);
        var sessions = await other.Api.GetFromJsonAsync<JsonElement>("/api/v1/me/sessions");
        var streaming = sessions.GetProperty("items").EnumerateArray().First(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();
        await Expect.StatusAsync(await other.Api.DeleteAsync($"/api/v1/me/sessions/{streaming}"), HttpStatusCode.NoContent);
        await EndsAsync(stream, "its device was ended");
    }

    [Fact]
    public async Task ANewPassword_EndsTheOtherSessionsStreams()
    {
        var person = await app.RegisterAsync();
        var other = await app.SignInAsync(person.Email);
        await using var stream = await LiveEvents.OpenAsync(app, person);
        await Expect.StatusAsync(await other.Api.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = person.Password, newPassword = "a completely new passphrase" }), HttpStatusCode.OK);
        await EndsAsync(stream, "the password changed");
    }

    [Fact]
    public async Task DeletingTheAccount_EndsItsStreams()
    {
        var person = await app.RegisterAsync();
        var other = await app.SignInAsync(person.Email);
        await using var stream = await LiveEvents.OpenAsync(app, person);
        await Expect.StatusAsync(await other.Api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = person.Password }) }), HttpStatusCode.NoContent);
        await EndsAsync(stream, "the account was deleted");
    }

    [Fact]
    public async Task SigningOutOfThePages_EndsThePagesStream()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        await using var stream = await LiveEvents.OpenPagesAsync(pages);
        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync("/account/sign-out", new())).StatusCode);
        await EndsAsync(stream, "signing out");
    }

    [Fact]
    public async Task APerson_CanHoldOnlySoManyStreamsOpen()
    {
        var person = await app.RegisterAsync();
        var streams = new List<LiveEvents>();
        try
        {
            for (var i = 0; i < EventHub.MaxStreamsPerPerson; i++) streams.Add(await LiveEvents.OpenAsync(app, person));
            using var http = app.CreateClient();
            http.DefaultRequestHeaders.Authorization = new("Bearer", person.AccessToken);
            using var over = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
            await Expect.StatusAsync(over, HttpStatusCode.TooManyRequests);

            // One closed, there is room for another (once the server has noticed).
            await streams[0].DisposeAsync();
            streams.RemoveAt(0);
            var status = HttpStatusCode.TooManyRequests;
            for (var i = 0; i < 50 && status == HttpStatusCode.TooManyRequests; i++)
            {
                using var again = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
                status = again.StatusCode;
                if (status == HttpStatusCode.TooManyRequests) await Task.Delay(100);
            }
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            foreach (var s in streams) await s.DisposeAsync();
        }
    }
}
