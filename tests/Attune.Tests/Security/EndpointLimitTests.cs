using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Security;

/// <summary>
/// Limits that hold: on the endpoint, whatever the spelling of its path; per client on requests
/// that email an address the client chose; per address on the emails themselves. An app with low
/// limits of its own; each test speaks from client addresses no other test uses.
/// </summary>
public sealed class EndpointLimitTests(EndpointLimitTests.App app) : IClassFixture<EndpointLimitTests.App>
{
    public sealed class App : AttuneApp
    {
        public App() : base(new Dictionary<string, string?>
        {
            ["Attune:AuthAttemptsPerMinute"] = "3",
            ["Attune:EmailRequestsPerHour"] = "3",
            ["Attune:EmailsPerAddressPerHour"] = "3",
        }) => SetUpFromFreshAddresses = true;
    }

    [Fact]
    public async Task SignInAttempts_AreLimitedOnTheEndpoint_HoweverItsPathIsSpelled()
    {
        using var client = app.ClientFrom("203.0.113.31");
        var wrong = new { email = "nobody-limit@example.test", password = "not the password at all" };
        foreach (var path in new[] { "/api/auth/login", "/api/auth/login/", "/API/auth/login" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(path, wrong)).StatusCode);
        var over = await client.PostAsJsonAsync("/Api/Auth/Login/", wrong);
        await Expect.StatusAsync(over, HttpStatusCode.TooManyRequests);

        // Another client isn't held back by this one.
        using var other = app.ClientFrom("203.0.113.32");
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.PostAsJsonAsync("/api/auth/login", wrong)).StatusCode);
    }

    [Fact]
    public async Task TheSignInPage_IsLimitedToo_WithATrailingSlash()
    {
        using var pages = app.AnonymousPages();
        pages.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.41");
        var fields = new Dictionary<string, string> { ["Input.Email"] = "nobody-page@example.test", ["Input.Password"] = "not the password at all" };
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await pages.PostFormAsync(i % 2 == 0 ? "/account/sign-in/" : "/ACCOUNT/sign-in", fields, "/account/sign-in")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await pages.PostFormAsync("/account/sign-in", fields)).StatusCode);
    }

    [Fact]
    public async Task ResendingTheConfirmation_IsLimitedPerClient()
    {
        using var pages = app.AnonymousPages();
        pages.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.51");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync("/account/check-email", new() { ["Email"] = $"victim{i}@example.test" })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await pages.PostFormAsync("/account/check-email", new() { ["Email"] = "victim9@example.test" })).StatusCode);
    }

    [Fact]
    public async Task OneAddress_GetsOnlyAFewEmailsAnHour_HoweverManyClientsAsk()
    {
        var person = await app.RegisterAsync();
        await app.SettledAsync();
        var before = Mail.All(app.MailDirectory).Count(m => m.To == person.Email);
        for (var i = 0; i < 8; i++)
        {
            using var client = app.ClientFrom($"198.51.100.{i + 60}");
            await Expect.StatusAsync(await client.PostAsJsonAsync("/api/auth/forgotPassword", new { email = person.Email }), HttpStatusCode.OK);
        }
        await app.SettledAsync();
        var sent = Mail.All(app.MailDirectory).Count(m => m.To == person.Email) - before;
        // The confirmation at registration was one of the three for this hour.
        Assert.Equal(2, sent);
    }

    [Fact]
    public async Task Invitations_AreLimitedPerClient_AndCappedPerAddress()
    {
        var target = AttuneApp.NewEmail("invited-often");
        foreach (var owner in new[] { await app.RegisterAsync(), await app.RegisterAsync() })
        {
            for (var i = 0; i < 3; i++)
            {
                var response = await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = target, name = "Often" });
                var id = System.Text.Json.JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
                await Expect.StatusAsync(await owner.Api.DeleteAsync($"/api/v1/circle/invitations/{id}"), HttpStatusCode.NoContent);
            }
            await Expect.StatusAsync(await owner.Api.PostAsJsonAsync("/api/v1/circle/invitations", new { email = target, name = "Often" }), HttpStatusCode.TooManyRequests);
        }
        await app.SettledAsync();
        Assert.Equal(3, Mail.All(app.MailDirectory).Count(m => m.To == target));
    }
}
