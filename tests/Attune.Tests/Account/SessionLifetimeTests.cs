using System.Net;
using Attune.Tests.Support;

namespace Attune.Tests.Account;

/// <summary>These move the app's clock, so they get an app of their own.</summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private readonly AttuneApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task ABrowserSession_EndsAfterTwoIdleHours()
    {
        var person = await _app.RegisterAsync();
        using var pages = await _app.SignInPagesAsync(person.Email);
        _app.Clock.Advance(TimeSpan.FromMinutes(100));
        await Expect.StatusAsync(await pages.Http.GetAsync("/account"), HttpStatusCode.OK);
        _app.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await pages.Http.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task ASession_EndsFourteenDaysAfterSignIn_HoweverActive()
    {
        var person = await _app.RegisterAsync();
        using var pages = await _app.SignInPagesAsync(person.Email);
        // Active every hour (well inside the 2-hour idle limit) for just under 14 days.
        for (var hour = 0; hour < 14 * 24 - 1; hour++)
        {
            _app.Clock.Advance(TimeSpan.FromHours(1));
            await Expect.StatusAsync(await pages.Http.GetAsync("/account/sessions"), HttpStatusCode.OK);
        }
        _app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var after = await pages.Http.GetAsync("/account/security");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/sign-in", after.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}
