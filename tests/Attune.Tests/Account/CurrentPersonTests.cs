using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Attune.Infrastructure.Web;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Account;

/// <summary>
/// The current person (issue 18): who a request is for, and their zone, country and name, read once
/// per request from the cached profile; a change to the account is seen by the next read, and one
/// request never sees another person's profile.
/// </summary>
public sealed class CurrentPersonTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task TheProfile_IsReadOncePerRequest_AndAChangeIsSeenByTheNextRead()
    {
        var person = await app.RegisterAsync("Robin");
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Pacific/Auckland", country = "NZ" }), HttpStatusCode.OK);

        using var scope = RequestFor(person.Id, out var me);
        Assert.Equal(person.Id, me.Id);
        var first = await me.ProfileAsync();
        Assert.Same(first, await me.ProfileAsync()); // the same object: no second read within the request
        Assert.Equal("Pacific/Auckland", (await me.ZoneAsync()).Id);
        Assert.Equal("NZ", await me.CountryAsync());
        Assert.Equal("US", await me.CountryAsync(" us "));
        Assert.Equal("Robin", await me.DisplayNameAsync());

        // The account changes (through the API, as a person would): the cache is told, and the
        // next read within the same request sees the new zone.
        await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Europe/Lisbon" }), HttpStatusCode.OK);
        Assert.Equal("Europe/Lisbon", (await me.ZoneAsync()).Id);
    }

    [Fact]
    public async Task OneRequest_NeverSeesAnotherPersonsProfile_AndSignedOutIsUtcWithNoOne()
    {
        var a = await app.RegisterAsync("Ash");
        var b = await app.RegisterAsync("Bea");
        await Expect.StatusAsync(await b.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Asia/Tokyo" }), HttpStatusCode.OK);

        using (RequestFor(a.Id, out var asA))
        {
            Assert.Equal("Ash", await asA.DisplayNameAsync());
            Assert.Equal("UTC", (await asA.ZoneAsync()).Id);
        }
        using (RequestFor(b.Id, out var asB))
        {
            Assert.Equal("Bea", await asB.DisplayNameAsync());
            Assert.Equal("Asia/Tokyo", (await asB.ZoneAsync()).Id);
        }
        using (RequestFor(null, out var nobody))
        {
            Assert.False(nobody.SignedIn);
            Assert.Null(await nobody.ProfileAsync());
            Assert.Equal(TimeZoneInfo.Utc, await nobody.ZoneAsync());
            Assert.Throws<InvalidOperationException>(() => nobody.Id);
        }
    }

    /// <summary>A request scope whose HttpContext is signed in as <paramref name="userId"/> (or no one).</summary>
    private IServiceScope RequestFor(string? userId, out CurrentPerson me)
    {
        var scope = app.Services.CreateScope();
        var identity = userId is null ? new ClaimsIdentity() : new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test");
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext =
            new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = new ClaimsPrincipal(identity) };
        me = scope.ServiceProvider.GetRequiredService<CurrentPerson>();
        return scope;
    }
}
