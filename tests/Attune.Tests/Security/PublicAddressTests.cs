using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Security;

/// <summary>
/// Links in emails come from <c>Attune:PublicBaseUrl</c>, never from a request's Host or
/// X-Forwarded-Host; outside Development the app refuses to start without it, and answers only
/// for its own host. Each test starts an app of its own.
/// </summary>
public sealed class PublicAddressTests
{
    private sealed class App(string environment, string? publicBaseUrl) : AttuneApp(new Dictionary<string, string?>
    {
        ["Attune:PublicBaseUrl"] = publicBaseUrl ?? "",
        ["AllowedHosts"] = "",
    })
    {
        protected override string EnvironmentName => environment;
    }

    [Fact]
    public async Task OutsideDevelopment_WithoutAPublicAddress_ItDoesNotStart_AndSaysWhichSetting()
    {
        var app = new App("Production", null);
        var failure = await Assert.ThrowsAnyAsync<Exception>(app.InitializeAsync);
        Assert.Contains("Attune:PublicBaseUrl", failure.ToString(), StringComparison.Ordinal);
        try { await ((IAsyncLifetime)app).DisposeAsync(); } catch (InvalidOperationException) { } // it never started
    }

    [Fact]
    public async Task InDevelopment_AResetLink_IgnoresTheHostTheRequestNames()
    {
        var app = new App("Development", null);
        await app.InitializeAsync();
        try
        {
            var person = await app.RegisterAsync();
            using var forged = app.CreateClient(new() { BaseAddress = new Uri("https://attune-evil.example") });
            forged.DefaultRequestHeaders.Add("X-Forwarded-Host", "attune-evil.example");
            await Expect.StatusAsync(await forged.PostAsJsonAsync("/api/auth/forgotPassword", new { email = person.Email }), HttpStatusCode.OK);
            using var pages = app.AnonymousPages();
            pages.Http.DefaultRequestHeaders.Add("X-Forwarded-Host", "attune-evil.example");
            Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync("/account/forgot-password", new() { ["Email"] = person.Email })).StatusCode);
            await app.SettledAsync();
            var resets = Mail.All(app.MailDirectory).Where(m => m.To == person.Email && m.Subject.Contains("reset", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Equal(2, resets.Count);
            Assert.Contains("/account/reset-password?", resets.Select(r => r.Body).First(b => b.Contains("http", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.All(resets, r => Assert.DoesNotContain("attune-evil", r.Body, StringComparison.Ordinal));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task OutsideDevelopment_OnlyItsOwnHostIsAnswered()
    {
        var app = new App("Production", "https://attune.example.org");
        await app.InitializeAsync();
        try
        {
            using var own = app.CreateClient(new() { BaseAddress = new Uri("https://attune.example.org") });
            Assert.Equal(HttpStatusCode.OK, (await own.GetAsync("/health")).StatusCode);
            using var other = app.CreateClient(new() { BaseAddress = new Uri("https://attune-evil.example") });
            Assert.Equal(HttpStatusCode.BadRequest, (await other.GetAsync("/account/forgot-password")).StatusCode);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
