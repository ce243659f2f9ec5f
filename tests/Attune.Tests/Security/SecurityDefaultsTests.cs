using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Attune.Tests.Support;

namespace Attune.Tests.Security;

public sealed class SecurityDefaultsTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/account/sign-in")]
    [InlineData("/api/v1/me")]
    public async Task EveryAnswer_CarriesTheSecurityHeaders_AndIsNeverCached(string path)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync(path);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_IsSentOverHttps_OutsideDevelopment()
    {
        using var client = app.CreateClient(new() { BaseAddress = new Uri("https://attune.example"), AllowAutoRedirect = false });
        var response = await client.GetAsync("/privacy");
        Assert.True(response.Headers.Contains("Strict-Transport-Security"), "No HSTS header");
    }

    [Fact]
    public async Task SignInCookie_IsHostPrefixed_Secure_HttpOnly_SameSiteLax()
    {
        var person = await app.RegisterAsync();
        using var pages = app.AnonymousPages();
        var response = await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-attune=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AntiforgeryCookie_IsHostPrefixed_Secure_HttpOnly_SameSiteStrict()
    {
        using var pages = app.AnonymousPages();
        var response = await pages.Http.GetAsync("/account/sign-in");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-attune-af=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithoutAToken_AnswersA401Problem()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/api/v1/me");
        await Expect.StatusAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_UnknownRoute_AnswersA404Problem()
    {
        var person = await app.RegisterAsync();
        var response = await person.Api.GetAsync("/api/v1/nothing-here");
        await Expect.StatusAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"displayName\": ", "displayName")]
    [InlineData("not json at all", "body")]
    [InlineData("{\"displayName\": 42}", "displayName")]
    [InlineData("{\"timeZone\": [\"UTC\"]}", "timeZone")]
    public async Task MalformedJson_AnswersA400ProblemNamingTheField_WithNoStackTrace(string json, string field)
    {
        var person = await app.RegisterAsync();
        var response = await person.Api.PatchAsync("/api/v1/me", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await Expect.ProblemNamingAsync(response, field);
        Assert.DoesNotContain("   at ", problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValues_AnswerA400NamingEachField_AndNothingIsHalfSaved()
    {
        var person = await app.RegisterAsync("Before");
        var response = await person.Api.PatchAsJsonAsync("/api/v1/me", new { displayName = "After", timeZone = "Mars/Olympus_Mons", country = "QQ" });
        var problem = await Expect.ProblemNamingAsync(response, "timeZone");
        Assert.True(problem.GetProperty("errors").TryGetProperty("country", out _));
        var tooLong = await person.Api.PatchAsJsonAsync("/api/v1/me", new { displayName = new string('x', 81) });
        await Expect.ProblemNamingAsync(tooLong, "displayName");
        var me = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("Before", me.GetProperty("displayName").GetString());
        Assert.Equal("UTC", me.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task Profile_AcceptsAnIanaTimeZoneAndCountry()
    {
        var person = await app.RegisterAsync();
        var response = await person.Api.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Pacific/Auckland", country = "nz" });
        var me = JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.OK)).RootElement;
        Assert.Equal("Pacific/Auckland", me.GetProperty("timeZone").GetString());
        Assert.Equal("NZ", me.GetProperty("country").GetString());
    }

    [Fact]
    public async Task PageForm_WithoutAnAntiforgeryToken_IsRejected()
    {
        using var client = app.CreateClient();
        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "someone@example.test",
            ["Input.Password"] = "whatever it might be",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Health_AnswersHealthy_WithoutSigningIn()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/health");
        Assert.Equal("Healthy", await Expect.StatusAsync(response, HttpStatusCode.OK));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        using var client = app.CreateClient();
        var doc = JsonDocument.Parse(await Expect.StatusAsync(await client.GetAsync("/openapi/v1.json"), HttpStatusCode.OK)).RootElement;
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/me", out _));
        Assert.True(paths.TryGetProperty("/api/auth/login", out _));
    }
}

/// <summary>Rate limits get their own app with a small allowance.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly LimitedApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    private sealed class LimitedApp() : AttuneApp(new Dictionary<string, string?> { ["Attune:AuthAttemptsPerMinute"] = "3" });

    [Fact]
    public async Task SignInAttempts_BeyondTheLimit_Answer429WithRetryAfter_ForApiAndPages()
    {
        using var client = _app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.PostAsJsonAsync("/api/auth/login", new { email = "x@example.test", password = "wrong password " + i })).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);

        var limited = await client.PostAsJsonAsync("/api/auth/register", new { email = "y@example.test", password = "calm long passphrase here" });
        await Expect.StatusAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);

        var page = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "x@example.test" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);

        // Reading pages and the rest of the API is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/sign-in")).StatusCode);
    }
}
