// Live events benchmark (bench/run.sh --suite events [--postgres "<connection string>"]).
//
// The server runs in its own process (this program with --serve-events), so its memory can be
// read from /proc without the load generator's. 1,000 people each hold /api/v1/events open.
// 1. A reach from someone whose circle is five of them: the time from the POST's answer until
//    the last of the five streams has the reach.received event (200 reaches, one at a time).
// 2. An event to all 1,000 through the app's hub and streams (POST /bench/fanout), against the
//    ceiling measured in the same run: a bare SSE endpoint and broadcast with no sign-in, no hub
//    and nothing else (POST /bench/broadcast to 1,000 GET /bench/sse): from sending the POST to
//    the last stream receiving it (50 rounds each).
// 3. The server's resident memory with 1,000 streams open (VmRSS), and before any were opened.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Circle;
using Attune.Infrastructure.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Attune.Bench.BenchHttp;

namespace Attune.Bench;

internal static class EventsBench
{
    private const int People = 1000, Circle = 5, Reaches = 200, Rounds = 50;
    private const string Password = "quiet lantern harbour walk";

    private static string Email(int i) => $"p{i:0000}@example.test";

    // ---------------- server side (--serve-events) ----------------

    private static readonly ConcurrentDictionary<Guid, (string Group, HttpResponse Response)> BareStreams = new();
    private static string[] _people = [];

    public static async Task<int> ServeAsync(string data, string? postgres)
    {
        await using var app = new BenchApp(data, postgres, environment: "Production", extra: services =>
        {
            // Sign-in cost is not what this measures: a cheap hash lets 1,000 people sign in quickly.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
            services.AddTransient<IStartupFilter, Endpoints>();
        });
        app.StartServer();
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AttuneUser>>();
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            var ids = new List<string>();
            for (var i = 0; i <= People; i++)
            {
                var user = new AttuneUser { UserName = Email(i), Email = Email(i), EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
                var created = await users.CreateAsync(user, Password);
                if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
                ids.Add(user.Id);
            }
            // Person 0 reaches out; persons 1..5 are their circle.
            for (var i = 1; i <= Circle; i++)
            {
                var member = new CircleMember { Id = Guid.CreateVersion7(), OwnerId = ids[0], SupporterId = ids[i], CanReceiveReaches = true, Order = i, CreatedAt = DateTime.UtcNow };
                member.Name = await db.SealAsync(ids[0], CircleMember.Table, member.Id.ToString(), "name", $"Supporter {i}");
                db.Add(member);
            }
            await db.SaveChangesAsync();
            _people = ids.Skip(1).ToArray();
        }
        Console.WriteLine(app.BaseUrl);
        Console.Out.Flush();
        await Console.In.ReadToEndAsync(); // until the bench closes our input
        return 0;
    }

    /// <summary>
    /// The fan-out through the app's hub, and the bare SSE ceiling. These come before the app's
    /// pipeline (no sign-in): the fan-out's cost is the hub and the app's own streams, which were
    /// opened through the whole pipeline.
    /// </summary>
    internal sealed class Endpoints : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                switch (context.Request.Path.Value)
                {
                    case "/bench/fanout":
                        var hub = context.RequestServices.GetRequiredService<EventHub>();
                        var id = Guid.Parse(context.Request.Query["id"]!);
                        foreach (var person in _people) hub.Publish(person, "bench.fanout", id);
                        context.Response.StatusCode = 204;
                        return;
                    case "/bench/memory":
                        var info = GC.GetGCMemoryInfo();
                        await context.Response.WriteAsJsonAsync(new { heapMb = info.HeapSizeBytes / 1048576.0, committedMb = info.TotalCommittedBytes / 1048576.0 });
                        return;
                    case "/bench/sse":
                        context.Response.ContentType = "text/event-stream";
                        await context.Response.WriteAsync(": connected\n\n");
                        await context.Response.Body.FlushAsync();
                        var key = Guid.NewGuid();
                        BareStreams[key] = (context.Request.Query["g"].ToString(), context.Response);
                        try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
                        catch (OperationCanceledException) { }
                        finally { BareStreams.TryRemove(key, out _); }
                        return;
                    case "/bench/broadcast":
                        var frame = Encoding.UTF8.GetBytes($"event: bench.bare\ndata: {{\"id\":\"{context.Request.Query["id"]}\"}}\n\n");
                        var group = context.Request.Query["g"].ToString(); // the bare streams opened with this ?g= (none: those without)
                        await Task.WhenAll(BareStreams.Values.Where(s => s.Group == group).Select(s => s.Response).Select(async r =>
                        {
                            try { await r.Body.WriteAsync(frame); await r.Body.FlushAsync(); }
                            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException) { }
                        }));
                        context.Response.StatusCode = 204;
                        return;
                    default:
                        await nextMiddleware(context);
                        return;
                }
            });
            next(app);
        };
    }

    // ---------------- load side ----------------

    /// <summary>One open event stream: when each event id arrived, on the bench's clock.</summary>
    internal sealed class Listener
    {
        public readonly ConcurrentDictionary<string, long> Arrived = new();
    }

    public static Task<int> RunAsync(string data, string? postgres) =>
        WithServerAsync("--serve-events", data, postgres, (baseUrl, pid) => MeasureAsync(baseUrl, pid, postgres is null ? "SQLite" : "PostgreSQL"));

    /// <summary>Starts this program again as the server (<paramref name="serveFlag"/>), waits for its address, measures, and stops it.</summary>
    internal static async Task<int> WithServerAsync(string serveFlag, string data, string? postgres, Func<string, int, Task<int>> measure)
    {
        var self = typeof(EventsBench).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath!, [self, serveFlag, "--data", data, .. postgres is null ? Array.Empty<string>() : ["--postgres", postgres]])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_TEST_CONTENTROOT_ATTUNE"] = Environment.GetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ATTUNE");
        using var server = Process.Start(start)!;
        try
        {
            string? baseUrl = null;
            while (baseUrl is null)
            {
                var line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(5)) ?? throw new InvalidOperationException("The server ended before it was ready.");
                if (line.StartsWith("http://", StringComparison.Ordinal)) baseUrl = line.Trim();
            }
            _ = Task.Run(async () => // the server's warnings and errors, on ours
            {
                while (await server.StandardOutput.ReadLineAsync() is { } line) await Console.Error.WriteLineAsync("server: " + line);
            });
            return await measure(baseUrl, server.Id);
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(TimeSpan.FromSeconds(20))) server.Kill(entireProcessTree: true);
        }
    }

    private static async Task<int> MeasureAsync(string baseUrl, int serverPid, string engine)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 4 * People, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        var clock = Stopwatch.StartNew();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

        var tokens = new string[People + 1];
        var signIn = Stopwatch.StartNew();
        await Parallel.ForAsync(0, People + 1, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var login = await http.PostAsync("/api/auth/login", JsonContent(new { email = Email(i), password = Password }), ct);
            login.EnsureSuccessStatusCode();
            tokens[i] = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("accessToken").GetString()!;
        });
        Console.Error.WriteLine($"{People + 1} people signed in in {signIn.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(1000);
        var rssBefore = Rss(serverPid);
        var heapBefore = await HeapAsync(http);

        using var stop = new CancellationTokenSource();
        var app = new Listener[People];
        await Parallel.ForAsync(0, People, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => app[i] = await OpenAsync(http, "/api/v1/events", tokens[i + 1], clock, stop.Token));
        await Task.Delay(2000);
        var rssConnected = Rss(serverPid);
        var heapConnected = await HeapAsync(http);

        // 1. A reach to five.
        var reachLatency = new List<double>();
        var reachFromSend = new List<double>();
        var missed = 0;
        for (var r = 0; r < Reaches + 10; r++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reaches") { Content = JsonContent(new { urgency = "whenever" }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[0]);
            var sent = clock.ElapsedTicks;
            using var response = await http.SendAsync(request);
            var answered = clock.ElapsedTicks;
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"reach answered {(int)response.StatusCode}");
            var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var last = await LastArrivalAsync(app.Take(Circle), id, TimeSpan.FromSeconds(2));
            if (r < 10) continue; // warm-up
            if (last is null) { missed++; continue; }
            // Events go out before the answer is written, so they often arrive first (counted as 0).
            reachLatency.Add(Math.Max(0, Ms(last.Value - answered)));
            reachFromSend.Add(Ms(last.Value - sent));
            // Nobody outside the circle got it.
            if (app.Skip(Circle).Any(l => l.Arrived.ContainsKey(id))) throw new InvalidOperationException("A reach reached someone outside the circle");
        }

        // 2a. Fan-out to all 1,000 through the app.
        var fanout = await RoundsAsync(http, app, "/bench/fanout", clock);
        stop.Cancel();
        await Task.Delay(1000);

        // 2b. The bare broadcast ceiling.
        using var stopBare = new CancellationTokenSource();
        var bare = new Listener[People];
        await Parallel.ForAsync(0, People, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => bare[i] = await OpenAsync(http, "/bench/sse", null, clock, stopBare.Token));
        await Task.Delay(2000);
        var ceiling = await RoundsAsync(http, bare, "/bench/broadcast", clock);
        stopBare.Cancel();

        Console.WriteLine($"### Live events ({engine}, {People} people connected to /api/v1/events, server in its own process)");
        Console.WriteLine();
        Console.WriteLine("| measure | n | p50 ms | p99 ms | max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine(Row("a reach to 5: POST answered → last of the 5 streams has it", reachLatency));
        Console.WriteLine(Row("a reach to 5: POST sent → last of the 5 streams has it", reachFromSend));
        Console.WriteLine(Row("bare SSE broadcast to 1,000 (ceiling): POST sent → last stream", ceiling));
        Console.WriteLine(Row("app fan-out to 1,000 through the hub: POST sent → last stream", fanout));
        Console.WriteLine();
        Console.WriteLine($"The app's fan-out p99 is {Percentile(fanout, 0.99) / Percentile(ceiling, 0.99):0.00}× the bare broadcast's (goal ≤ 1.5×); a reach's p99 is {Percentile(reachLatency, 0.99):0.0} ms (goal < 20 ms); {missed} reaches missed.");
        Console.WriteLine($"Server memory (VmRSS): {rssBefore:0} MB with everyone signed in and no streams, {rssConnected:0} MB with {People} streams open (goal ≤ 200 MB); of which the managed heap {heapBefore.Heap:0} MB (committed {heapBefore.Committed:0}) and {heapConnected.Heap:0} MB (committed {heapConnected.Committed:0}).");
        return missed == 0 ? 0 : 1;
    }

    /// <summary>Opens one event stream and records, on the bench's clock, when each event id arrives.</summary>
    internal static async Task<Listener> OpenAsync(HttpClient http, string path, string? token, Stopwatch clock, CancellationToken stop, Func<JsonElement, string>? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
        await reader.ReadLineAsync(stop); // ": connected"
        var listener = new Listener();
        _ = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync(stop) is { } line)
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        var data = JsonDocument.Parse(line[6..]).RootElement;
                        listener.Arrived.TryAdd(key is null ? data.GetProperty("id").GetString()! : key(data), clock.ElapsedTicks);
                    }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException) { }
            finally { response.Dispose(); }
        }, CancellationToken.None);
        return listener;
    }

    /// <summary>Rounds of "send to all": from sending the POST to the last of the listeners having it.</summary>
    private static async Task<List<double>> RoundsAsync(HttpClient http, Listener[] listeners, string path, Stopwatch clock)
    {
        var result = new List<double>();
        for (var r = 0; r < Rounds + 5; r++)
        {
            var id = Guid.NewGuid().ToString();
            var sent = clock.ElapsedTicks;
            using (var response = await http.PostAsync($"{path}?id={id}", null)) response.EnsureSuccessStatusCode();
            var last = await LastArrivalAsync(listeners, id, TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException($"{path}: not everyone received round {r}");
            if (r >= 5) result.Add((last - sent) * 1000.0 / Stopwatch.Frequency);
            await Task.Delay(50);
        }
        return result;
    }

    internal static async Task<long?> LastArrivalAsync(IEnumerable<Listener> listeners, string id, TimeSpan within)
    {
        var all = listeners.ToList();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            long last = 0;
            var missing = false;
            foreach (var l in all)
            {
                if (l.Arrived.TryGetValue(id, out var t)) last = Math.Max(last, t);
                else { missing = true; break; }
            }
            if (!missing) return last;
            await Task.Delay(1);
        }
        return null;
    }

    internal static async Task<(double Heap, double Committed)> HeapAsync(HttpClient http)
    {
        var json = JsonDocument.Parse(await http.GetStringAsync("/bench/memory")).RootElement;
        return (json.GetProperty("heapMb").GetDouble(), json.GetProperty("committedMb").GetDouble());
    }

    internal static double Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    internal static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    internal static string Row(string name, List<double> values) =>
        $"| {name} | {values.Count} | {Percentile(values, 0.5):0.0} | {Percentile(values, 0.99):0.0} | {(values.Count == 0 ? double.NaN : values.Max()):0.0} |";
}
