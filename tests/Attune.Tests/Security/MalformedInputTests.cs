using System.Net;
using System.Net.Http.Json;
using Attune.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Security;

/// <summary>Input no form would send (control characters, a NUL) answers 400, never 500; and a failure's log line names the route, not the path.</summary>
public sealed class MalformedInputTests(MalformedInputTests.App app) : IClassFixture<MalformedInputTests.App>
{
    /// <summary>The app, with a way to make one kind of database read fail on purpose.</summary>
    public sealed class App : AttuneApp
    {
        public FailingReads Failing { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.ConfigureDbContext<Attune.Data.AttuneDb>(o => o.AddInterceptors(Failing)));
        }
    }

    /// <summary>Throws on reads of one table while armed.</summary>
    public sealed class FailingReads : DbCommandInterceptor
    {
        private volatile string? _table;

        public string? Table { get => _table; set => _table = value; }

        private void Check(System.Data.Common.DbCommand command)
        {
            if (Table is { } t && command.CommandText.Contains($"\"{t}\"", StringComparison.Ordinal)) throw new InvalidOperationException("A read failed on purpose.");
        }

        public override InterceptionResult<System.Data.Common.DbDataReader> ReaderExecuting(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result)
        {
            Check(command);
            return result;
        }

        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return ValueTask.FromResult(result);
        }
    }

    [Fact]
    public async Task AReturnAddressWithAControlCharacter_Answers400_NotAnError()
    {
        var person = await app.RegisterAsync();
        using var pages = app.AnonymousPages();
        var response = await pages.PostFormAsync("/account/sign-in?ReturnUrl=%2F%09%2Fevil.example", new() { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password }, "/account/sign-in");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var safe = await pages.PostFormAsync("/account/sign-in?ReturnUrl=%2Fjournal", new() { ["Input.Email"] = person.Email, ["Input.Password"] = person.Password }, "/account/sign-in");
        Assert.Equal("/journal", safe.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/api/v1/me", "displayName")]
    [InlineData("/api/v1/therapist-profile", "name")]
    public async Task ANulInAName_Answers400NamingTheField(string url, string field)
    {
        var person = await app.RegisterAsync();
        object body = field == "displayName"
            ? new { displayName = "Ro\u0000bin" }
            : new { name = "Dr\u0000 Nul", credentials = "MSc", licenceNumber = "1", licenceRegion = "X", formats = new[] { "online" }, country = "GB", languages = new[] { "English" }, bio = "Bio" };
        var response = url.EndsWith("/me", StringComparison.Ordinal) ? await person.Api.PatchAsJsonAsync(url, body) : await person.Api.PutAsJsonAsync(url, body);
        await Expect.ProblemNamingAsync(response, field);
    }

    [Fact]
    public async Task ANulInTheProfilePage_Answers400()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        var response = await pages.PostFormAsync("/account", new() { ["Input.DisplayName"] = "Ro\u0000bin", ["Input.TimeZone"] = "UTC" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/auth/login")]
    [InlineData("/api/auth/register")]
    [InlineData("/api/auth/forgotPassword")]
    public async Task ANulInAnEmailAddress_Answers400NamingTheField(string url)
    {
        using var anon = app.CreateClient();
        await Expect.ProblemNamingAsync(await anon.PostAsJsonAsync(url, new { email = "ro\u0000bin@example.test", password = "a long enough passphrase" }), "email");
    }

    [Theory]
    [InlineData("/account/register", "Input.Email", "ro\u0000bin@example.test")]
    [InlineData("/account/register", "Input.DisplayName", "Ro\u0001bin")]
    [InlineData("/account/forgot-password", "Email", "ro\u0000bin@example.test")]
    [InlineData("/account/sign-in", "Input.Email", "ro\u0007bin@example.test")]
    public async Task AControlCharacterInAnAccountForm_Answers400_NotAnError(string url, string field, string value)
    {
        using var pages = app.AnonymousPages();
        var fields = new Dictionary<string, string> { ["Input.Email"] = "fine@example.test", ["Input.Password"] = "a long enough passphrase", ["Email"] = "fine@example.test", [field] = value };
        var response = await pages.PostFormAsync(url, fields);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK) Assert.Contains("form-errors", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Users, u => u.Email!.Contains("bin@example.test"))));
    }

    [Theory]
    [InlineData("/api/v1/therapists?q=a%00b", "q")]
    [InlineData("/api/v1/therapists?region=a%00b", "region")]
    public async Task ANulInADirectorySearch_Answers400(string url, string field)
    {
        using var anon = app.CreateClient();
        await Expect.ProblemNamingAsync(await anon.GetAsync(url), field);
    }

    [Fact]
    public async Task AFailure_IsLoggedWithItsRoute_NotItsPath()
    {
        var person = await app.RegisterAsync();
        using var pages = await app.SignInPagesAsync(person.Email);
        const string token = "SecretInvitationTokenCanary7731";
        app.Failing.Table = "CircleInvitations";
        try
        {
            var response = await pages.Http.GetAsync($"/circle/invitations/{token}");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            var api = await person.Api.PostAsync($"/api/v1/circle/invitations/{token}/accept", null);
            Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        }
        finally
        {
            app.Failing.Table = null;
        }
        var lines = app.Logs.Lines.Where(l => l.Contains("Unhandled", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("/circle/invitations/{token}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/api/v1/circle/invitations/{token}/accept", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }
}
