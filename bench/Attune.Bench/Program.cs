// Benchmarks. Each hosts the real app on Kestrel (127.0.0.1, random port), for a bounded time.
//   --suite today (default): seeds one person with a year of history, then drives two pages with
//     32 concurrent connections: a bare page behind the same sign-in that reads 20 rows (ceiling),
//     and the Today page.
//   --suite journal: see JournalBench.cs (saving 2 KB entries against a bare durable insert, and
//     search over 5,000 entries). --postgres "<connection string>" runs it on PostgreSQL; --save-only
//     stops after saving.
//   --suite insights: see InsightsBench.cs (activation insights over 5,000 activations, against a
//     bare one-query aggregate). --postgres as above.
//   --suite events: see EventsBench.cs (1,000 open event streams: a reach to five, a fan-out to all
//     against a bare SSE broadcast, and the server's memory). --postgres as above.
// Prints Markdown tables with requests/s, latency percentiles and the share of the ceiling.
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Data;
using Attune.Features.Account;
using Attune.Features.Assessments;
using Attune.Features.Journey;
using Attune.Features.Safety;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using static Attune.Bench.BenchHttp;

namespace Attune.Bench;

internal static class Bench
{
    public static async Task<int> Main(string[] args)
    {
        // Each run's data directory (a database of several hundred MB after the journal suite) goes
        // when the run ends.
        var data = Directory.CreateTempSubdirectory("attune-bench").FullName;
        try { return await RunAsync(args, data); }
        finally { Directory.Delete(data, recursive: true); }
    }

    private static async Task<int> RunAsync(string[] args, string data)
    {
        var seconds = ArgInt("--seconds", 10);
        var connections = ArgInt("--connections", 32);
        Wrk.WarmUpSeconds = ArgInt("--warm-up", 15);
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "Attune.slnx"))) repo = repo.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ATTUNE", Path.Combine(repo!.FullName, "src", "Attune"));
        var suite = Array.IndexOf(args, "--suite") is var si and >= 0 && si + 1 < args.Length ? args[si + 1] : "today";
        var pg = Array.IndexOf(args, "--postgres") is var pi and >= 0 && pi + 1 < args.Length ? args[pi + 1] : null;
        if (args.Contains("--serve-events")) return await EventsBench.ServeAsync(args[Array.IndexOf(args, "--data") + 1], pg);
        if (suite == "events") return await JournalBench.OnFreshDatabaseAsync(pg, cs => EventsBench.RunAsync(data, cs));
        if (suite == "journal") return await JournalBench.RunAsync(data, seconds, connections, pg, saveOnly: args.Contains("--save-only"));
        if (suite == "insights") return await JournalBench.OnFreshDatabaseAsync(pg, cs => InsightsBench.RunAsync(data, cs));
        await using var app = new BenchApp(data);
        app.StartServer();
        var baseUrl = app.BaseUrl;
        Console.Error.WriteLine($"Attune on {baseUrl}, data in {data}");

        var (userId, cookie) = await SeedAsync(app, baseUrl, data);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };

        var health = args.Contains("--health") ? await LoadAsync(http, cookie, "/health", seconds, connections, mustContain: "Healthy") : null;
        var ceiling = await LoadAsync(http, cookie, "/bench/bare", seconds, connections, mustContain: "<li>");
        var today = await LoadAsync(http, cookie, "/", seconds, connections, mustContain: "Where you are");

        Console.WriteLine($"| page | requests/s | p50 ms | p99 ms | errors |");
        Console.WriteLine($"| --- | ---: | ---: | ---: | ---: |");
        if (health is not null) Console.WriteLine(health.Row("/health (no sign-in, one database ping)"));
        Console.WriteLine(ceiling.Row("bare 20-row page (ceiling)"));
        Console.WriteLine(today.Row("Today (a year of history)"));
        Console.WriteLine();
        Console.WriteLine($"Today reaches {today.PerSecond / ceiling.PerSecond:P0} of the ceiling's throughput ({connections} connections, {seconds} s each, SQLite, {Environment.ProcessorCount} cores).");
        return today.Errors + ceiling.Errors == 0 ? 0 : 1;

        static Task<Result> LoadAsync(HttpClient http, string cookie, string path, int seconds, int connections, string mustContain) =>
            BenchHttp.LoadAsync(http, () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add("Cookie", cookie);
                return request;
            }, HttpStatusCode.OK, seconds, connections, mustContain);

        static async Task<(string UserId, string Cookie)> SeedAsync(BenchApp app, string baseUrl, string data)
        {
            const string email = "bench@example.test", password = "quiet lantern harbour walk";
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
            await RegisterConfirmedAsync(http, data, email, password);

            string userId;
            using (var scope = app.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
                var user = await db.Users.SingleAsync(u => u.Email == email);
                userId = user.Id;
                await db.SetDisplayNameAsync(user, "Bench");
                var practices = scope.ServiceProvider.GetRequiredService<Practices>().All.ToList();
                var instruments = scope.ServiceProvider.GetRequiredService<Instruments>();
                var start = DateTime.UtcNow.AddDays(-365);
                for (var day = 0; day < 365; day++)
                {
                    var practice = practices[day % practices.Count];
                    var id = Guid.CreateVersion7();
                    db.Add(new PracticeSession
                    {
                        Id = id,
                        OwnerId = userId,
                        PracticeSlug = practice.Slug,
                        Phase = practice.Phase,
                        StartedAt = start.AddDays(day),
                        UpdatedAt = start.AddDays(day).AddMinutes(12),
                        CompletedAt = start.AddDays(day).AddMinutes(12),
                        SudsBefore = 4,
                        SudsLatest = 3,
                        SudsAfter = 3,
                        Answers = await db.SealAsync(userId, PracticeSession.Table, id.ToString(), "answers", JsonSerializer.Serialize(new Dictionary<string, string> { [practice.Steps.Last(s => s.Prompt is not null).Id] = new string('x', 400) })),
                    });
                    if (day % 7 == 0)
                        foreach (var code in new[] { "phq9", "gad7", "signs" })
                        {
                            var instrument = instruments.Find(code)!;
                            var answers = Enumerable.Range(0, instrument.Items.Count).Select(i => RandomNumberGenerator.GetInt32(4)).ToArray();
                            var score = Instruments.Score(instrument, answers);
                            var cid = Guid.CreateVersion7();
                            db.Add(new CheckIn
                            {
                                Id = cid,
                                OwnerId = userId,
                                Instrument = code,
                                TakenAt = start.AddDays(day),
                                Total = score.Total,
                                Band = score.Band,
                                Safety = false,
                                Subscales = JsonSerializer.Serialize(score.Subscales),
                                Answers = await db.SealAsync(userId, CheckIn.Table, cid.ToString(), "answers", JsonSerializer.Serialize(answers)),
                            });
                        }
                }
                await db.SaveChangesAsync();
                await scope.ServiceProvider.GetRequiredService<SafetyPlans>().SaveAsync(userId, new SafetyPlanDto(["tired"], ["walk", "music", "bath"], [], ["Sam"], [], [], ["my cat"]));
            }

            var signIn = await http.GetStringAsync("/account/sign-in");
            var token = WebUtility.HtmlDecode(Regex.Match(signIn, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
            var response = await http.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = password,
                ["__RequestVerificationToken"] = token,
            }));
            if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("Sign-in failed: " + response.StatusCode);
            var cookie = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith("attune=", StringComparison.Ordinal)));
            return (userId, cookie);
        }


        int ArgInt(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        }
    }
}

static class BenchHttp
{
    public static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    /// <summary>Registers through the API and follows the confirmation link from the .eml the app wrote (emails leave from a queue, so it waits for it).</summary>
    public static async Task RegisterConfirmedAsync(HttpClient http, string data, string email, string password)
    {
        (await http.PostAsync("/api/auth/register", JsonContent(new { email, password }))).EnsureSuccessStatusCode();
        string? body = null;
        for (var i = 0; i < 200 && body is null; i++)
        {
            var folder = Path.Combine(data, "mail");
            body = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.eml").Select(File.ReadAllText).FirstOrDefault(t => t.Contains($"X-Receiver: {email}", StringComparison.OrdinalIgnoreCase) || t.Contains($"X-Receiver: <{email}>", StringComparison.OrdinalIgnoreCase))
                : null;
            if (body is null) await Task.Delay(50);
        }
        if (body is null) throw new TimeoutException("No confirmation email for " + email);
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Replace(body[(body.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], @"\s", "")));
        var link = new Uri(Regex.Match(text, @"https?://\S+").Value);
        (await http.GetAsync(link.PathAndQuery)).EnsureSuccessStatusCode();
    }

    /// <summary>Drives <paramref name="make"/> from <paramref name="connections"/> workers: 3 s warm-up, then <paramref name="seconds"/> measured.</summary>
    /// <remarks>A request counts only with the expected status and, when given, <paramref name="mustContain"/> in its body.</remarks>
    public static async Task<Result> LoadAsync(HttpClient http, Func<HttpRequestMessage> make, HttpStatusCode expected, int seconds, int connections, string? mustContain = null)
    {
        async Task<(int Ok, int Errors, List<double> Latencies)> Run(TimeSpan duration)
        {
            var latencies = new List<double>[connections];
            var ok = 0; var errors = 0;
            var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, connections).Select(async w =>
            {
                latencies[w] = [];
                while (Stopwatch.GetTimestamp() < stopAt)
                {
                    var start = Stopwatch.GetTimestamp();
                    using var request = make();
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == expected && (mustContain is null || body.Contains(mustContain, StringComparison.Ordinal))) Interlocked.Increment(ref ok);
                    else Interlocked.Increment(ref errors);
                    latencies[w].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }));
            return (ok, errors, latencies.SelectMany(l => l).Order().ToList());
        }
        await Run(TimeSpan.FromSeconds(3));
        var (okCount, errorCount, all) = await Run(TimeSpan.FromSeconds(seconds));
        return new Result(okCount / (double)seconds, all[all.Count / 2], all[(int)(all.Count * 0.99)], errorCount);
    }
}

sealed record Result(double PerSecond, double P50, double P99, int Errors)
{
    public string Row(string name) => $"| {name} | {PerSecond:0} | {P50:0.0} | {P99:0.0} | {Errors} |";
}

sealed class BenchApp : WebApplicationFactory<global::Program>
{
    private readonly string _data;
    private readonly string? _postgres;
    private readonly string _environment;

    /// <param name="environment">Development for the cookie-signed-in Today pages (plain http cookies on loopback); Production for the bearer-token API.</param>
    private readonly Action<IServiceCollection>? _extra;

    public BenchApp(string data, string? postgres = null, string environment = "Development", Action<IServiceCollection>? extra = null)
    {
        _extra = extra;
        _data = data;
        _postgres = postgres;
        _environment = environment;
        UseKestrel(0);
    }

    public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
        .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Attune:DataDirectory", _data);
        builder.UseSetting("Attune:PublicBaseUrl", "https://localhost");
        builder.UseSetting("Attune:AuthAttemptsPerMinute", "100000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (_postgres is not null)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Default", _postgres);
        }
        builder.ConfigureServices(s => s.AddTransient<IStartupFilter, BarePage>());
        if (_extra is not null) builder.ConfigureServices(_extra);
    }

    /// <summary>The ceiling: after the app's own pipeline (so behind the same sign-in and session checks), a page that reads 20 rows and renders them.</summary>
    private sealed class BarePage : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(async context =>
            {
                if (await JournalBench.CeilingAsync(context)) return;
                if (context.Request.Path != "/bench/bare") { context.Response.StatusCode = 404; return; }
                var db = context.RequestServices.GetRequiredService<AttuneDb>();
                var id = context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value;
                var rows = await db.Set<PracticeSession>().AsNoTracking().Where(s => s.OwnerId == id).OrderByDescending(s => s.StartedAt).Take(20)
                    .Select(s => new { s.PracticeSlug, s.StartedAt, s.SudsBefore }).ToListAsync();
                var sb = new StringBuilder("<!doctype html><html lang=\"en\"><title>Bare</title><ul>");
                foreach (var r in rows) sb.Append("<li>").Append(HtmlEncoder.Default.Encode(r.PracticeSlug)).Append(' ').Append(r.StartedAt.ToString("O")).Append(' ').Append(r.SudsBefore).Append("</li>");
                sb.Append("</ul></html>");
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(sb.ToString());
            });
        };
    }
}
