// Signed-in pages benchmark (bench/run.sh, the default suite; --postgres "<connection string>").
//
// Attune is published (Release) and started from its publish folder as its own process, in
// Production, with Attune:Bench=true (which adds the bare ceiling page and per-request query
// counts; neither exists otherwise). Before it starts, this program seeds the demo people plus a
// year of history for the demo person (Robin): a practice session a day, weekly check-ins,
// three journal entries a week and an activation most days. It then signs Robin in through the
// sign-in page and drives every page a signed-in person visits with wrk (its own process, on
// 127.0.0.1), each with the browser's cookies and the X-Forwarded-Proto header nginx would add:
// first every page for --warm-up seconds, then each for --seconds measured. In the same run: the
// ceiling (/bench/bare: the same cookie, session check and layout, 20 rows read and listed).
// For each page it prints requests/s, p50/p99, the share of the ceiling, the database commands
// one warm request runs, the server's CPU time and allocations per request (from /proc and
// the server's own counters: far less distorted by a busy machine than requests/s), the host's
// CPU steal and the load average. Then the server's memory after the sweep and with --streams
// (default 1,000) live event streams open.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Data;
using Attune.Features.Account;
using Attune.Features.Activations;
using Attune.Features.Assessments;
using Attune.Features.Journal;
using Attune.Features.Journey;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Attune.Bench.BenchHttp;

namespace Attune.Bench;

internal static partial class PagesBench
{
    private const string Robin = "robin@demo.attune.local", DemoPassword = "attune-demo-garden-path", StreamPassword = "quiet lantern harbour walk";

    private static string StreamEmail(int i) => $"s{i:0000}@example.test";

    private sealed record Page(string Name, string Path, string Marker, bool SignedIn = true, bool Bearer = false);

    public static async Task<int> RunAsync(string repo, string data, int seconds, int warmUp, int connections, string? postgres, int streams, string? publishDir, IReadOnlyList<string> env)
    {
        var engine = postgres is null ? "SQLite" : "PostgreSQL";
        var publish = publishDir ?? await PublishAsync(repo, data);
        // The seeding host's own log lines go to stderr, so stdout is the results alone.
        var stdout = Console.Out;
        Console.SetOut(Console.Error);
        Seeded ids;
        try { ids = await SeedAsync(data, postgres, streams); }
        finally { Console.SetOut(stdout); }

        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var server = StartServer(publish, data, baseUrl, postgres, env);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https"); // as nginx in front of it says
            await WaitForHealthAsync(http, server);
            var cookie = await SignInPagesAsync(http);
            var token = await BearerAsync(http, Robin, DemoPassword);

            var pages = new List<Page>
            {
                new("bare signed-in page, 20 rows (ceiling)", "/bench/bare", "<li>"),
                new("Today", "/", "Hello"),
                new("journey", "/journey", "Journey"),
                new("a practice", "/practices/safe-place", "safe place"),
                new("journal list", "/journal", "Journal"),
                new("journal editor, new entry", "/journal/new/free", "<form"),
                new("journal editor, an entry", $"/journal/{ids.JournalEntry}/edit", "<form"),
                new("reactions", "/activations", "Reactions"),
                new("insights", "/insights", "Insights"),
                new("circle", "/circle", "Circle"),
                new("care", "/care", "Care"),
                new("check-ins", "/check-ins", "Check-ins"),
                new("safety plan", "/safety-plan", "Safety plan"),
                new("grounding", "/grounding", "Grounding"),
                new("privacy", "/privacy", "privacy"),
                new("GET /api/v1/me, bearer token (reference)", "/api/v1/me", "\"id\"", SignedIn: false, Bearer: true),
                new("grounding, signed out (reference)", "/grounding", "Grounding", SignedIn: false),
            };
            string[] Headers(Page p) =>
                p.Bearer ? ["Authorization: Bearer " + token, "X-Forwarded-Proto: https"]
                : p.SignedIn ? ["Cookie: " + cookie, "X-Forwarded-Proto: https"]
                : ["X-Forwarded-Proto: https"];

            foreach (var page in pages) await CheckAsync(http, page, Headers(page));
            Console.Error.WriteLine($"Every page answers; warming each up for {warmUp} s");
            foreach (var page in pages) await Wrk.GetAsync(baseUrl + page.Path, Headers(page), warmUp, connections);

            var rows = new List<(Page Page, Wrk.Run Run, int Queries, double CpuUs, double AllocKb, double Steal, string Load)>();
            // The ceiling is measured first and again last: the two show how much the machine moved during the sweep.
            foreach (var page in pages.Append(pages[0] with { Name = "bare signed-in page again (ceiling, last)" }))
            {
                // One warm request on its own: the database commands it runs (the one before it refreshes
                // anything a cache let expire during the other pages' runs).
                await CheckAsync(http, page, Headers(page));
                await CheckAsync(http, page, Headers(page));
                var queries = (await StatsAsync(http)).Last(page.Path);
                var (cpu0, steal0, stats0) = (CpuTicks(server.Id), HostCpu(), await StatsAsync(http));
                var run = await Wrk.GetAsync(baseUrl + page.Path, Headers(page), seconds, connections, latency: true);
                var (cpu1, steal1, stats1) = (CpuTicks(server.Id), HostCpu(), await StatsAsync(http));
                await CheckAsync(http, page, Headers(page)); // still signed in, still the page
                var requests = Math.Max(1, run.Requests);
                rows.Add((page, run, queries,
                    (cpu1 - cpu0) * 1_000_000.0 / TicksPerSecond / requests,
                    (stats1.Allocated - stats0.Allocated) / 1024.0 / requests,
                    Steal(steal0, steal1),
                    File.ReadAllText("/proc/loadavg").Split(' ')[0]));
                Console.Error.WriteLine($"{page.Path}: {run.PerSecond:0}/s");
            }

            var ceiling = (rows[0].Run.PerSecond + rows[^1].Run.PerSecond) / 2;
            Console.WriteLine($"### Signed-in pages ({engine}; the published app in Production, its own process; wrk -t2 -c{connections}, {seconds} s each after {warmUp} s warm-up; {Environment.ProcessorCount} cores shared by server and wrk)");
            Console.WriteLine();
            Console.WriteLine("| page | requests/s | p50 ms | p99 ms | × ceiling | queries | server CPU µs/request | allocated KB/request | errors | steal | load avg |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in rows)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Page.Name} | {r.Run.PerSecond:0} | {r.Run.P50:0.0} | {r.Run.P99:0.0} | {r.Run.PerSecond / ceiling:P0} | {r.Queries} | {r.CpuUs:0} | {r.AllocKb:0} | {r.Run.Errors} | {r.Steal:P1} | {r.Load} |"));
            Console.WriteLine();
            Console.WriteLine("× ceiling: against the mean of the two ceiling runs.");
            Console.WriteLine("queries: database commands of one warm request (the session check's read comes once per 30 s per session and is not in it).");
            Console.WriteLine("steal: CPU time the VM's host took while measured; load avg: 1-minute load at the end of the run. Req/s and p99 are honest only with low steal and load ≈ 2 (server + wrk).");

            var gcMode = (await StatsAsync(http)).GcMode;
            var afterSweep = await MemoryAsync(http, server.Id);
            Console.WriteLine();
            Console.WriteLine($"Server memory after the sweep ({gcMode} GC{(env.Count > 0 ? ", " + string.Join(' ', env) : "")}): {afterSweep}.");
            Console.WriteLine($"Resident by owner: {MemoryByOwner(server.Id)}.");
            if (streams > 0)
            {
                var open = await OpenStreamsAsync(http, ids.StreamTokens);
                await Task.Delay(3000);
                Console.WriteLine($"With {streams} live event streams open: {await MemoryAsync(http, server.Id)}.");
                Console.WriteLine($"Resident by owner: {MemoryByOwner(server.Id)}.");
                open.Cancel();
            }
            return rows.Sum(r => r.Run.Errors) == 0 ? 0 : 1;
        }
        finally
        {
            if (!server.HasExited) { server.Kill(entireProcessTree: true); await server.WaitForExitAsync(); }
        }
    }

    // ---------------- build, seed, start ----------------

    private static async Task<string> PublishAsync(string repo, string data)
    {
        var output = Path.Combine(data, "publish");
        Console.Error.WriteLine("Publishing src/Attune (Release)…");
        using var p = Process.Start(new ProcessStartInfo("dotnet", ["publish", Path.Combine(repo, "src", "Attune"), "-c", "Release", "-o", output, "--nologo", "-v", "quiet"])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException("dotnet publish failed: " + text);
        return output;
    }

    private sealed record Seeded(Guid JournalEntry, string[] StreamTokens);

    /// <summary>The demo people (through the app's own demo seeding), a year of Robin's history, and the people who open streams.</summary>
    private static async Task<Seeded> SeedAsync(string data, string? postgres, int streams)
    {
        var watch = Stopwatch.StartNew();
        await using var app = new BenchApp(data, postgres, environment: "Production",
            extra: s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = 1), // sign-in is not what is measured
            settings: new() { ["Attune:Demo"] = "true", ["Attune:WarmUp"] = "false" });
        app.StartServer();
        using var scope = app.Services.CreateScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AttuneDb>();
        var robin = await db.Users.Where(u => u.Email == Robin).Select(u => u.Id).SingleAsync();
        var random = new Random(20);
        var now = DateTime.UtcNow;
        var start = now.AddDays(-365);

        var practices = sp.GetRequiredService<Practices>().All.Where(p => p.Phase == 1).ToList();
        var instruments = sp.GetRequiredService<Instruments>();
        for (var day = 0; day < 365; day++)
        {
            var practice = practices[day % practices.Count];
            var id = Guid.CreateVersion7();
            var at = start.AddDays(day).AddHours(8);
            db.Add(new PracticeSession
            {
                Id = id,
                OwnerId = robin,
                PracticeSlug = practice.Slug,
                Phase = practice.Phase,
                StartedAt = at,
                UpdatedAt = at.AddMinutes(12),
                CompletedAt = at.AddMinutes(12),
                SudsBefore = random.Next(3, 7),
                SudsLatest = 3,
                SudsAfter = random.Next(1, 5),
                Answers = await db.SealAsync(robin, PracticeSession.Table, id.ToString(), "answers",
                    JsonSerializer.Serialize(new Dictionary<string, string> { [practice.Steps.Last(s => s.Prompt is not null).Id] = new string('x', 400) })),
            });
            if (day % 7 == 0)
                foreach (var code in new[] { "phq9", "gad7", "signs" })
                {
                    var instrument = instruments.Find(code)!;
                    var answers = Enumerable.Range(0, instrument.Items.Count).Select(_ => random.Next(3)).ToArray();
                    var score = Instruments.Score(instrument, answers);
                    var cid = Guid.CreateVersion7();
                    db.Add(new CheckIn
                    {
                        Id = cid,
                        OwnerId = robin,
                        Instrument = code,
                        TakenAt = at,
                        Total = score.Total,
                        Band = score.Band,
                        Safety = false,
                        Subscales = JsonSerializer.Serialize(score.Subscales),
                        Answers = await db.SealAsync(robin, CheckIn.Table, cid.ToString(), "answers", JsonSerializer.Serialize(answers)),
                    });
                }
        }
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // Journal entries and activations through the app's own services (sealed, indexed, checked as a person's would be).
        var journal = sp.GetRequiredService<Journal>();
        var kinds = new[] { "free", "letter", "free", "body" };
        for (var i = 0; i < 156; i++)
        {
            var kind = kinds[i % kinds.Length];
            var input = new JournalInput(kind, $"Evening {i}", kind == "body" ? "" : Sentences(random, random.Next(300, 1200)), ["evening", i % 3 == 0 ? "family" : "work"],
                false, null, null, null, null, null, null, null, null, null) with
            {
                Letter = kind == "letter" ? new("toYounger", 8) : null,
                Body = kind == "body" ? new([new("front:chest", ["tight"], 6)]) : null,
            };
            var (entry, errors) = await journal.CreateAsync(robin, input);
            if (entry is null) throw new InvalidOperationException("A journal entry was refused: " + string.Join("; ", errors!.Items.Select(e => e.Field)));
            var at = start.AddDays(i * 365.0 / 156);
            await db.Set<JournalEntry>().Where(e => e.Id == entry.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.CreatedAt, at).SetProperty(e => e.UpdatedAt, at));
        }
        var activations = sp.GetRequiredService<Activations>();
        string[][] patterns = [["critic", "reactions"], ["abandonment"], ["pleasing", "boundaries"], ["needs"], ["reactions"]];
        for (var day = 365; day >= 1; day -= random.Next(1, 3))
        {
            var input = new ActivationInput(new DateTimeOffset(now.AddDays(-day).Date.AddHours(random.Next(8, 22)), TimeSpan.Zero), "Something at work " + day, null,
                ["anxious", "small"], random.Next(2, 9), random.Next(5, 12), null, [.. patterns[day % patterns.Length]], "To be told I was okay", null, null);
            var (_, errors) = await activations.CreateAsync(robin, input);
            if (errors is not null) throw new InvalidOperationException("An activation was refused.");
        }
        var newest = await db.Set<JournalEntry>().Where(e => e.OwnerId == robin).OrderByDescending(e => e.CreatedAt).Select(e => e.Id).FirstAsync();

        var users = sp.GetRequiredService<UserManager<AttuneUser>>();
        for (var i = 0; i < streams; i++)
        {
            var created = await users.CreateAsync(new AttuneUser { UserName = StreamEmail(i), Email = StreamEmail(i), EmailConfirmed = true, CreatedAt = now }, StreamPassword);
            if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        }
        // Their bearer tokens come from the seeding host, whose cheap hash needs no rehashing (the
        // published app would rehash each at full cost on first sign-in). Both hosts share the key
        // ring (in the database, under the data folder's master key), so the app accepts them.
        var tokens = new string[streams];
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
            await Parallel.ForAsync(0, streams, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => tokens[i] = await BearerAsync(http, StreamEmail(i), StreamPassword));
        Console.Error.WriteLine($"Seeded the demo people, a year of Robin's history and {streams} more people in {watch.Elapsed.TotalSeconds:0} s");
        return new Seeded(newest, tokens);
    }

    private static string Sentences(Random random, int length)
    {
        string[] words = ["morning", "kitchen", "quiet", "tired", "hopeful", "window", "rain", "friend", "small", "safe", "school", "held", "voice", "warm", "chest"];
        var sb = new System.Text.StringBuilder();
        while (sb.Length < length) sb.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ". " : " ");
        return sb.ToString(0, length);
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static Process StartServer(string publish, string data, string url, string? postgres, IReadOnlyList<string> env)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(publish, "Attune.dll")])
        {
            WorkingDirectory = publish,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["Attune__DataDirectory"] = data;
        start.Environment["Attune__Bench"] = "true";
        start.Environment["Attune__AuthAttemptsPerMinute"] = "1000000";
        if (postgres is not null)
        {
            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["ConnectionStrings__Default"] = postgres;
        }
        foreach (var kv in env)
        {
            var eq = kv.IndexOf('=', StringComparison.Ordinal);
            start.Environment[kv[..eq]] = kv[(eq + 1)..];
        }
        var server = Process.Start(start)!;
        // The server's own log (startup lines, warnings) goes to ours; reading it keeps its pipe from filling.
        server.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && !line.StartsWith("info:", StringComparison.Ordinal)) Console.Error.WriteLine("server: " + line); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("server: " + line); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        Console.Error.WriteLine($"Attune (pid {server.Id}) on {url}");
        return server;
    }

    private static async Task WaitForHealthAsync(HttpClient http, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (server.HasExited) throw new InvalidOperationException("The server stopped: exit code " + server.ExitCode);
            try { if ((await http.GetAsync("/health")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("The server did not answer /health");
    }

    // ---------------- signing in ----------------

    /// <summary>Signs Robin in through the sign-in page, as a browser: the session and antiforgery cookies a browser would send back.</summary>
    private static async Task<string> SignInPagesAsync(HttpClient http)
    {
        using var form = await http.GetAsync("/account/sign-in");
        var html = await form.Content.ReadAsStringAsync();
        var antiforgery = Cookies(form).Single(c => c.StartsWith("__Host-attune-af=", StringComparison.Ordinal));
        var token = WebUtility.HtmlDecode(VerificationToken().Match(html).Groups[1].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = Robin, ["Input.Password"] = DemoPassword, ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", antiforgery);
        using var answer = await http.SendAsync(post);
        if (answer.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException("Sign-in failed: " + answer.StatusCode);
        var session = Cookies(answer).Single(c => c.StartsWith("__Host-attune=", StringComparison.Ordinal));
        return session + "; " + antiforgery;
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];

    private static async Task<string> BearerAsync(HttpClient http, string email, string password)
    {
        using var login = await http.PostAsync("/api/auth/login", JsonContent(new { email, password }));
        login.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The page answers 200 with what it should show, and (when signed in) the signed-in layout: a redirect to sign-in would count as a success in wrk.</summary>
    private static async Task CheckAsync(HttpClient http, Page page, string[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page.Path);
        foreach (var h in headers.Where(h => !h.StartsWith("X-Forwarded-Proto", StringComparison.Ordinal)))
        {
            var colon = h.IndexOf(':', StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation(h[..colon], h[(colon + 2)..]);
        }
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(page.Marker, StringComparison.Ordinal) || (page.SignedIn && !body.Contains("Sign out", StringComparison.Ordinal)))
            throw new InvalidOperationException($"{page.Path}: {(int)response.StatusCode}, not the expected page:\n{body[..Math.Min(body.Length, 2000)]}");
    }

    // ---------------- what the server did ----------------

    private sealed record Stats(JsonElement Paths, long Allocated, double HeapMb, double CommittedMb, string GcMode)
    {
        public int Last(string path) => Paths.TryGetProperty(path, out var p) ? p.GetProperty("last").GetInt32() : -1;
    }

    private static async Task<Stats> StatsAsync(HttpClient http)
    {
        var json = JsonDocument.Parse(await http.GetStringAsync("/bench/stats")).RootElement;
        return new Stats(json.GetProperty("paths").Clone(), json.GetProperty("allocatedBytes").GetInt64(),
            json.GetProperty("heapBytes").GetInt64() / 1048576.0, json.GetProperty("committedBytes").GetInt64() / 1048576.0, json.GetProperty("gcMode").GetString()!);
    }

    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The server's user + system CPU time so far, in clock ticks (/proc/pid/stat fields 14 and 15).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static long[] HostCpu() =>
        File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static double Steal(long[] before, long[] after)
    {
        var total = after.Take(8).Sum() - before.Take(8).Sum();
        return total == 0 ? 0 : (double)(after[7] - before[7]) / total;
    }

    private static async Task<string> MemoryAsync(HttpClient http, int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Value(string key) => long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        double Mb(string key) => Value(key) / 1024.0;
        var stats = await StatsAsync(http);
        return string.Create(CultureInfo.InvariantCulture,
            $"RSS {Mb("VmRSS:"):0} MB (peak {Mb("VmHWM:"):0} MB; anonymous {Mb("RssAnon:"):0} MB, files {Mb("RssFile:"):0} MB, shared memory {Mb("RssShmem:"):0} MB), {Value("Threads:")} threads, managed heap {stats.HeapMb:0} MB (committed {stats.CommittedMb:0} MB)");
    }

    /// <summary>The server's resident memory by what it maps (/proc/pid/smaps): whose code and data it is.</summary>
    private static string MemoryByOwner(int pid)
    {
        var groups = new Dictionary<string, long>();
        var name = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (MappingLine().IsMatch(line))
            {
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                name = parts.Length > 5 ? parts[5].Trim() : "";
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                var owner = Owner(name);
                groups[owner] = groups.GetValueOrDefault(owner) + kb;
            }
        }
        return string.Join("; ", groups.OrderByDescending(g => g.Value).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Value / 1024.0:0} MB")));

        static string Owner(string path)
        {
            if (path.Length == 0) return "anonymous (managed heap, runtime data, JIT code)";
            if (path.Contains("doublemapper", StringComparison.Ordinal)) return "JIT code and stubs (double-mapped)";
            if (path.StartsWith('[')) return "other";
            var file = Path.GetFileName(path);
            if (Regex.IsMatch(file, "EntityFrameworkCore|Npgsql|Sqlite|SQLitePCL|e_sqlite3")) return "EF Core and database providers";
            if (Regex.IsMatch(file, "Mvc|Razor")) return "MVC and Razor";
            if (Regex.IsMatch(file, "^libcoreclr|^libclrjit|^System.Private.CoreLib|^libhost|^libSystem")) return "runtime (CoreCLR, JIT, CoreLib)";
            if (Regex.IsMatch(file, "^Microsoft.AspNetCore|^Microsoft.Extensions")) return "other ASP.NET Core and Extensions";
            if (file.StartsWith("System.", StringComparison.Ordinal)) return "other System libraries";
            if (file.StartsWith("Attune", StringComparison.Ordinal)) return "Attune";
            return "other libraries";
        }
    }

    /// <summary>Opens /api/v1/events for each of the stream people; cancel to close them.</summary>
    private static async Task<CancellationTokenSource> OpenStreamsAsync(HttpClient pagesHttp, string[] tokens)
    {
        var count = tokens.Length;
        var stop = new CancellationTokenSource();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = count + 16, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        { BaseAddress = pagesHttp.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        stop.Token.Register(http.Dispose);
        var opened = 0;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var token = tokens[i];
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync(stop.Token);
            var buffer = new byte[64];
            _ = await stream.ReadAsync(buffer, stop.Token); // the stream's first line: it is open
            Interlocked.Increment(ref opened);
            _ = Task.Run(async () =>
            {
                try { while (await stream.ReadAsync(buffer, stop.Token) > 0) { } }
                catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException) { }
                finally { response.Dispose(); }
            }, CancellationToken.None);
        });
        Console.Error.WriteLine($"{opened} streams open");
        return stop;
    }

    [GeneratedRegex("^[0-9a-f]+-[0-9a-f]+ ")]
    private static partial Regex MappingLine();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
