// Benchmarks. Each runs the real app on 127.0.0.1 only, for a bounded time, against a ceiling
// measured in the same run.
//   (default) --suite pages: see PagesBench.cs (the published app in its own process; every page a
//     signed-in person visits, with a year of history, against a bare signed-in page; memory after
//     the sweep and with --streams live event streams). --seconds, --warm-up, --connections,
//     --env KEY=VALUE (for the server process, e.g. DOTNET_GCgen0size), --publish DIR (skip publishing).
//   --suite journal: see JournalBench.cs (saving 2 KB entries against a bare durable insert, and
//     search over 5,000 entries). --save-only stops after saving.
//   --suite insights: see InsightsBench.cs (activation insights over 5,000 activations, against a
//     bare one-query aggregate).
//   --suite events: see EventsBench.cs (1,000 open event streams: a reach to five, a fan-out to all
//     against a bare SSE broadcast, and the server's memory).
//   --suite groups: see GroupsBench.cs (100 group rooms of 8 with every stream open: a turn's post
//     reaching the room's 8 against a bare SSE broadcast to 8, and the server's memory).
//   --suite soak (PostgreSQL only): see SoakBench.cs (two published nodes behind nginx, --minutes 10
//     of mixed traffic at half the rate a 30 s probe finds, or --rate N; per-minute latency, memory,
//     sockets, PostgreSQL connections and jobs; then every saved entry read back). --people 16.
// --postgres "<connection string>" runs any suite on PostgreSQL (a fresh database, dropped afterwards).
// Prints Markdown tables.
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Builder;
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
        PrintMachine();
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "Attune.slnx"))) repo = repo.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ATTUNE", Path.Combine(repo!.FullName, "src", "Attune"));
        var suite = Array.IndexOf(args, "--suite") is var si and >= 0 && si + 1 < args.Length ? args[si + 1] : "pages";
        var pg = Array.IndexOf(args, "--postgres") is var pi and >= 0 && pi + 1 < args.Length ? args[pi + 1] : null;
        if (args.Contains("--serve-events")) return await EventsBench.ServeAsync(args[Array.IndexOf(args, "--data") + 1], pg);
        if (args.Contains("--serve-groups")) return await GroupsBench.ServeAsync(args[Array.IndexOf(args, "--data") + 1], pg);
        if (suite == "soak") return await JournalBench.OnFreshDatabaseAsync(pg, cs => SoakBench.RunAsync(repo.FullName, data, cs, ArgInt("--minutes", 10), args.Contains("--rate") ? ArgInt("--rate", 0) : null, ArgInt("--people", 16)));
        if (suite == "groups") return await JournalBench.OnFreshDatabaseAsync(pg, cs => GroupsBench.RunAsync(data, cs));
        if (suite == "events") return await JournalBench.OnFreshDatabaseAsync(pg, cs => EventsBench.RunAsync(data, cs));
        if (suite == "journal") return await JournalBench.RunAsync(data, seconds, connections, pg, saveOnly: args.Contains("--save-only"));
        if (suite == "insights") return await JournalBench.OnFreshDatabaseAsync(pg, cs => InsightsBench.RunAsync(data, cs));
        var env = args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();
        var publish = Array.IndexOf(args, "--publish") is var pub and >= 0 && pub + 1 < args.Length ? Path.GetFullPath(args[pub + 1]) : null;
        return await JournalBench.OnFreshDatabaseAsync(pg, cs => PagesBench.RunAsync(repo.FullName, data, seconds, ArgInt("--warm-up", 10), connections, cs, ArgInt("--streams", 1000), publish, env,
            Array.IndexOf(args, "--only") is var oi and >= 0 && oi + 1 < args.Length ? args[oi + 1] : null));

        int ArgInt(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
        }
    }
}

static class BenchHttp
{
    /// <summary>Before any run: how busy the machine already is (a shared machine makes requests/s dishonest).</summary>
    public static void PrintMachine()
    {
        if (!File.Exists("/proc/loadavg")) return;
        Console.WriteLine($"Load average before the run: {File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} cores).");
        Console.WriteLine();
    }

    public static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    /// <summary>Registers through the API and follows the confirmation link from the .eml the app wrote (emails leave from a queue, so it waits for it).</summary>
    public static async Task RegisterConfirmedAsync(HttpClient http, string data, string email, string password)
    {
        (await http.PostAsync("/api/auth/register", JsonContent(new { email, password }))).EnsureSuccessStatusCode();
        // The pickup folder holds MimeKit .eml files (MailKit transport); read them the way a mail client would.
        string? text = null;
        for (var i = 0; i < 1200 && text is null; i++)
        {
            var folder = Path.Combine(data, "mail");
            text = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.eml").Select(f => { using var m = MimeKit.MimeMessage.Load(f); return (To: m.To.Mailboxes.FirstOrDefault()?.Address, Body: m.TextBody); })
                    .FirstOrDefault(m => string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase)).Body
                : null;
            if (text is null) await Task.Delay(50);
        }
        if (text is null) throw new TimeoutException("No confirmation email for " + email);
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

    private readonly Action<IServiceCollection>? _extra;

    private readonly Dictionary<string, string>? _settings;

    public BenchApp(string data, string? postgres = null, string environment = "Production", Action<IServiceCollection>? extra = null, Dictionary<string, string>? settings = null)
    {
        _settings = settings;
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
        foreach (var (k, v) in _settings ?? []) builder.UseSetting(k, v);
        builder.ConfigureServices(s => s.AddTransient<IStartupFilter, Ceilings>());
        if (_extra is not null) builder.ConfigureServices(_extra);
    }

    /// <summary>The API benchmarks' ceilings, after the app's own pipeline (so behind the same sign-in).</summary>
    private sealed class Ceilings : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(async context =>
            {
                if (await JournalBench.CeilingAsync(context)) return;
                context.Response.StatusCode = 404;
            });
        };
    }
}
