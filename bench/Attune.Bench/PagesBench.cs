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
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using static Attune.Bench.BenchHttp;

namespace Attune.Bench;

internal static partial class PagesBench
{
    private const string Robin = "robin@demo.attune.local", DemoPassword = "attune-demo-garden-path", StreamPassword = "quiet lantern harbour walk";

    private static string StreamEmail(int i) => $"s{i:0000}@example.test";

    private sealed record Page(string Name, string Path, string Marker, bool SignedIn = true, bool Bearer = false, string? ExtraCookie = null);

    /// <summary>
    /// The cookie a person's own write leaves (PersonSnapshots), with a time far ahead: every request
    /// counts as just after a write, so Today is gathered afresh each time instead of served from its copy.
    /// </summary>
    private static readonly string AfterAWrite = "__Host-attune-wrote=" + DateTime.UtcNow.AddYears(10).Ticks.ToString(CultureInfo.InvariantCulture);

    public static async Task<int> RunAsync(string repo, string data, int seconds, int warmUp, int connections, string? postgres, int streams, string? publishDir, IReadOnlyList<string> env, string? only = null)
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
                new("Today, gathered afresh (as after each write)", "/", "Hello", ExtraCookie: AfterAWrite),
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
            // --only NAME: the ceiling and the pages whose names hold NAME (to look at one page while changing it).
            if (only is not null) pages = [pages[0], .. pages.Skip(1).Where(p => p.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
            string[] Headers(Page p) =>
                p.Bearer ? ["Authorization: Bearer " + token, "X-Forwarded-Proto: https"]
                : p.SignedIn ? ["Cookie: " + cookie + (p.ExtraCookie is null ? "" : "; " + p.ExtraCookie), "X-Forwarded-Proto: https"]
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

    // ---------------- signing in ----------------

    /// <summary>Signs someone in through the sign-in page (Robin unless told), as a browser: the session and antiforgery cookies a browser would send back.</summary>
    internal static async Task<string> SignInPagesAsync(HttpClient http, string email = Robin, string password = DemoPassword)
    {
        using var form = await http.GetAsync("/account/sign-in");
        var html = await form.Content.ReadAsStringAsync();
        var antiforgery = Cookies(form).Single(c => c.StartsWith("__Host-attune-af=", StringComparison.Ordinal));
        var token = WebUtility.HtmlDecode(VerificationToken().Match(html).Groups[1].Value);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password, ["__RequestVerificationToken"] = token }),
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

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
