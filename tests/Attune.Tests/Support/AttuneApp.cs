using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Attune.Tests.Support;

/// <summary>
/// The app under test, on its own data folder and its own database, with intent methods so tests
/// read as what a person does. Everything goes through HTTP, as a client would.
/// </summary>
public class AttuneApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings = [];
    private string? _postgres;

    public AttuneApp() : this(null) { }

    protected AttuneApp(IDictionary<string, string?>? settings)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "attune-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings["Attune:DataDirectory"] = DataDirectory;
        _settings["Attune:AuthAttemptsPerMinute"] = "100000";
        _settings["Attune:EmailRequestsPerHour"] = "100000";
        _settings["Attune:EmailsPerAddressPerHour"] = "100000";
        _settings["Attune:PublicBaseUrl"] = "https://localhost";
        _settings["AllowedHosts"] = "localhost;attune.example";
        _settings["Attune:WarmUp"] = "false"; // many short-lived apps; WarmUpTests runs it on purpose
        if (settings is not null) foreach (var (k, v) in settings) _settings[k] = v;
        ClientOptions.BaseAddress = new Uri("https://localhost");
        ClientOptions.AllowAutoRedirect = false;
    }

    /// <summary>PBKDF2 rounds for passwords in tests that do not ask for the app's own count.</summary>
    public const int TestHashIterations = 1_000;

    /// <summary>Set by a test that checks password hashing itself: the app's own iteration count.</summary>
    public const string RealPasswordHashingSetting = "Test:RealPasswordHashing";

    private bool RealPasswordHashing => _settings.GetValueOrDefault(RealPasswordHashingSetting) == "true";

    /// <summary>Production by default, so tests see the real cookie, HSTS and error settings.</summary>
    protected virtual string EnvironmentName => "Production";

    public string DataDirectory { get; }
    /// <summary>Where this app writes emails: its own folder, unless the test gave it another (two nodes share one).</summary>
    public string MailDirectory => _settings.GetValueOrDefault("Email:PickupDirectory") ?? Path.Combine(DataDirectory, "mail");
    public CapturedLogs Logs { get; } = new();
    public bool IsPostgres => _postgres is not null;
    public string SqliteFile => Path.Combine(DataDirectory, "attune.db");

    public async Task InitializeAsync()
    {
        if (TestDatabase.UsePostgres && !_settings.ContainsKey("Database:Provider")) // a test that names its database keeps it
        {
            _postgres = await TestDatabase.CreatePostgresDatabaseAsync();
            _settings["Database:Provider"] = "Postgres";
            _settings["ConnectionStrings:Default"] = _postgres;
        }
        StartServer(); // now, so migrations run once per host (in memory, or on Kestrel when a subclass asks)
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_postgres is not null) await TestDatabase.DropPostgresDatabaseAsync(_postgres);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        // UseSetting (not app configuration) so Program sees it before Build(), where the provider is chosen.
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        builder.ConfigureLogging(l => l.AddProvider(Logs));
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddTransient<IStartupFilter, LoopbackClient>();
        });
        // Tests register and sign in thousands of people; at the app's 210,000 PBKDF2 iterations that is
        // minutes of CPU per run. Hashing stays PBKDF2 in the same format, with fewer rounds, unless a test
        // asks for the real count (the test that checks it does; so do the published-app tests).
        if (!RealPasswordHashing) builder.ConfigureTestServices(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = TestHashIterations));
    }

    /// <summary>
    /// The test server leaves the client's address empty; a real server behind a local proxy sees
    /// loopback. So requests here come from 127.0.0.1, and a test stands for other clients the way
    /// a proxy would tell of them, with <c>X-Forwarded-For</c>.
    /// </summary>
    private sealed class LoopbackClient : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>The app's clock: real time, plus whatever a test moves it forward by.</summary>
    public ShiftedClock Clock { get; } = new();

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The latest email to <paramref name="to"/> with <paramref name="subjectContains"/> in its subject, once what was queued has gone.</summary>
    public async Task<Mail.Message> MailAsync(string to, string subjectContains)
    {
        await SettledAsync();
        return Mail.Latest(MailDirectory, to, subjectContains);
    }

    /// <summary>
    /// Runs every job that is due now and waits until each has finished, including any the app's own
    /// job worker claimed first (it runs in tests too, so a bare RunDueAsync can return before a job it
    /// found already claimed is done).
    /// </summary>
    public async Task JobsDoneAsync()
    {
        var runner = Service<Attune.Infrastructure.Jobs.JobRunner>();
        var kinds = runner.Lanes.Values.SelectMany(k => k).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            await runner.RunDueAsync();
            var now = Clock.GetUtcNow().UtcDateTime;
            var waiting = await WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
                db.Set<Attune.Infrastructure.Jobs.Job>(), j => j.DoneAt == null && j.DueAt <= now && kinds.Contains(j.Kind)));
            if (!waiting) return;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException("Jobs that were due were still not done after 30 s.");
    }

    /// <summary>
    /// Waits until push notices and emails queued so far have gone (both leave in the background),
    /// so a test can count what was sent, or that nothing was.
    /// </summary>
    public async Task SettledAsync()
    {
        var notices = Service<Attune.Infrastructure.Push.Notices>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            // Idle before the look at the mail queue: no notice can queue an email after it.
            var noticesIdle = notices.IsIdle;
            var mailWaiting = await WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
                db.Set<Attune.Infrastructure.Jobs.Job>(), j => j.Kind == Attune.Infrastructure.Email.Mailer.SendJob && j.DoneAt == null));
            if (noticesIdle && !mailWaiting) return;
            Service<Attune.Infrastructure.Jobs.JobRunner>().Wake();
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("Notices or emails were still waiting after 30 s.");
    }

    /// <summary>Runs <paramref name="work"/> with a fresh scoped database context.</summary>
    public async Task<T> WithDbAsync<T>(Func<AttuneDb, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AttuneDb>());
    }

    public const string DefaultPassword = "quiet river morning light";

    /// <summary>
    /// Set by a test app with low rate limits: registering and signing in people for a test then
    /// comes from a client address of its own each time, so the setup never spends the limits
    /// the test is about.
    /// </summary>
    protected bool SetUpFromFreshAddresses { get; init; }

    private int _setupAddress;

    private HttpClient SetupClient()
    {
        var client = CreateClient();
        if (SetUpFromFreshAddresses)
        {
            var n = Interlocked.Increment(ref _setupAddress);
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.77.{n / 250 % 250}.{n % 250 + 1}");
        }
        return client;
    }

    /// <summary>A client the server sees as coming from <paramref name="address"/> (as a local proxy would say).</summary>
    public HttpClient ClientFrom(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    public static string NewEmail(string who = "person") => $"{who}-{Guid.NewGuid().ToString("N")[..10]}@example.test";

    /// <summary>Registers through the API, confirms from the emailed link, signs in for a bearer token.</summary>
    public async Task<Person> RegisterAsync(string? displayName = null, string? email = null, string password = DefaultPassword)
    {
        email ??= NewEmail();
        using var anon = SetupClient();
        var register = await anon.PostAsJsonAsync("/api/auth/register", new { email, password });
        await Expect.StatusAsync(register, HttpStatusCode.OK);
        await ConfirmEmailAsync(email);
        var person = await SignInAsync(email, password);
        if (displayName is not null)
            await Expect.StatusAsync(await person.Api.PatchAsJsonAsync("/api/v1/me", new { displayName }), HttpStatusCode.OK);
        return person;
    }

    public async Task ConfirmEmailAsync(string email)
    {
        var link = Mail.LinkIn(await MailAsync(email, "Confirm"));
        using var anon = SetupClient();
        var page = await anon.GetAsync(new Uri(link).PathAndQuery);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Contains("Your email is confirmed", StringComparison.Ordinal), html);
    }

    public async Task<Person> SignInAsync(string email, string password = DefaultPassword, string? twoFactorCode = null)
    {
        using var anon = SetupClient();
        var login = await anon.PostAsJsonAsync("/api/auth/login", new { email, password, twoFactorCode });
        await Expect.StatusAsync(login, HttpStatusCode.OK);
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        var access = tokens.GetProperty("accessToken").GetString()!;
        var api = SetupClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        return new Person(me.GetProperty("id").GetString()!, email, password, api, access, tokens.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>The API's answer to a sign-in attempt, whatever it is.</summary>
    public async Task<HttpResponseMessage> SignInAsyncOrNull(Person person)
    {
        using var anon = SetupClient();
        return await anon.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = person.Password });
    }

    /// <summary>A browser-like client signed in through the pages (cookie session).</summary>
    public async Task<PagesClient> SignInPagesAsync(string email, string password = DefaultPassword)
    {
        var client = new PagesClient(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));
        if (SetUpFromFreshAddresses) client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.78.{Interlocked.Increment(ref _setupAddress) % 250}.1");
        var response = await client.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public PagesClient AnonymousPages() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") }));
}

public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}

public sealed record Person(string Id, string Email, string Password, HttpClient Api, string AccessToken, string RefreshToken);

/// <summary>Posts forms the way a browser does: fetch the page, carry its antiforgery token.</summary>
public sealed partial class PagesClient(HttpClient client) : IDisposable
{
    public HttpClient Http => client;

    public async Task<string> GetPageAsync(string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? formPage = null) =>
        PostFormAsync(url, fields.ToList(), formPage);

    /// <summary>A form with repeated names, as checkboxes send them.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string? formPage = null)
    {
        var page = await GetPageAsync(formPage ?? url.Split('?')[0]);
        var token = TokenPattern().Match(page);
        Assert.True(token.Success, "No antiforgery token on " + url);
        var form = fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value))).ToList();
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => client.Dispose();
}

public static class Expect
{
    /// <summary>Asserts the status, printing the body when it is not what was expected.</summary>
    public static async Task<string> StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}, expected {(int)expected}. Body: {body}");
        return body;
    }

    public static async Task<JsonElement> ProblemNamingAsync(HttpResponseMessage response, string field)
    {
        var body = await StatusAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"Expected a problem naming '{field}': {body}");
        return problem;
    }
}
