// Journal benchmarks (bench/run.sh --suite journal [--postgres "<connection string>"]).
//
// Saving: POST /api/v1/journal with 2 KB entries at 32 connections, against a ceiling measured in
// the same run: a bare endpoint behind the same bearer sign-in that reads the same request body,
// encrypts it with AES-256-GCM and inserts it durably (through the same one-slot write gate on
// SQLite). Reported: throughput, p50/p99, and the journal's share of the ceiling.
//
// Search: one person with 5,000 entries of mixed kinds (200-1,500 characters each). The first
// query opens and indexes them (cold); then each query shape runs 100 times in a row on one
// connection (warm). Reported: p50/p99 per shape, against a bare endpoint that reads 50 rows.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Journal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Attune.Bench.BenchHttp;

namespace Attune.Bench;

internal static class JournalBench
{
    private static readonly byte[] CeilingKey = RandomNumberGenerator.GetBytes(32);

    private static readonly string[] Words = ("morning kitchen mother father school teacher friend garden window rain summer winter " +
        "afraid safe small quiet loud angry sad tired hopeful brave alone together dinner table stairs bedroom car road beach " +
        "birthday holiday music piano drawing book story remember forgot wanted needed listened shouted laughed cried waited " +
        "held hand voice door light dark warm cold bright soft gentle heavy tight breath chest stomach shoulders younger older " +
        "today yesterday tomorrow week month year always never sometimes often feel felt know knew think thought hope wish").Split(' ');

    private static string Sentences(Random random, int length)
    {
        var sb = new StringBuilder(length + 20);
        while (sb.Length < length)
        {
            var n = random.Next(6, 14);
            for (var i = 0; i < n; i++) sb.Append(i == 0 ? char.ToUpperInvariant(Words[random.Next(Words.Length)][0]) + Words[random.Next(Words.Length)][1..] : Words[random.Next(Words.Length)]).Append(i == n - 1 ? ". " : " ");
        }
        return sb.ToString(0, length);
    }

    /// <summary>The ceilings, added after the app's pipeline: a durable encrypted insert, and a 50-row read.</summary>
    public static async Task<bool> CeilingAsync(HttpContext context)
    {
        if (context.Request.Path == "/bench/aggregate") return await InsightsBench.CeilingAsync(context);
        if (context.Request.Path != "/bench/durable-insert" && context.Request.Path != "/bench/rows") return false;
        var auth = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
        if (!auth.Succeeded) { context.Response.StatusCode = 401; return true; }
        var userId = auth.Principal!.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var db = context.RequestServices.GetRequiredService<AttuneDb>();
        if (context.Request.Path == "/bench/rows")
        {
            var rows = await db.Set<JournalEntry>().AsNoTracking().Where(e => e.OwnerId == userId).OrderByDescending(e => e.CreatedAt).Take(50)
                .Select(e => new { e.Id, e.Kind, e.CreatedAt }).ToListAsync();
            await context.Response.WriteAsJsonAsync(new { items = rows });
            return true;
        }
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var plain = body.ToArray();
        var sealedBytes = new byte[12 + plain.Length + 16];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using (var gcm = new AesGcm(CeilingKey, 16))
            gcm.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(12, plain.Length), sealedBytes.AsSpan(12 + plain.Length), Encoding.UTF8.GetBytes(userId));
        var id = Guid.CreateVersion7();
        using (await context.RequestServices.GetRequiredService<WriteGate>().EnterAsync())
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"BenchInserts\" (\"Id\", \"Body\") VALUES ({id}, {sealedBytes})");
        context.Response.StatusCode = 201;
        return true;
    }

    public static Task<int> RunAsync(string data, int seconds, int connections, string? postgres, bool saveOnly = false) =>
        OnFreshDatabaseAsync(postgres, cs => RunOnAsync(data, seconds, connections, cs, saveOnly));

    /// <summary>On PostgreSQL, runs <paramref name="run"/> against a fresh database that is dropped afterwards.</summary>
    public static async Task<int> OnFreshDatabaseAsync(string? postgres, Func<string?, Task<int>> run)
    {
        string? database = null;
        if (postgres is not null)
        {
            // A fresh database for this run, dropped at the end.
            database = "attune_bench_" + Guid.NewGuid().ToString("N")[..8];
            var admin = new NpgsqlConnectionStringBuilder(postgres) { Database = "postgres", Pooling = false };
            await using (var c = new NpgsqlConnection(admin.ConnectionString))
            {
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand($"CREATE DATABASE {database}", c);
                await cmd.ExecuteNonQueryAsync();
            }
            postgres = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        }
        try
        {
            return await run(postgres);
        }
        finally
        {
            if (database is not null)
            {
                NpgsqlConnection.ClearAllPools();
                var admin = new NpgsqlConnectionStringBuilder(postgres!) { Database = "postgres", Pooling = false };
                await using var c = new NpgsqlConnection(admin.ConnectionString);
                await c.OpenAsync();
                await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", c);
                await cmd.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task<int> RunOnAsync(string data, int seconds, int connections, string? postgres, bool saveOnly)
    {
        await using var app = new BenchApp(data, postgres, environment: "Production");
        app.StartServer();
        var engine = postgres is null ? "SQLite" : "PostgreSQL";
        Console.Error.WriteLine($"Attune on {app.BaseUrl} ({engine}), data in {data}");
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            await db.Database.ExecuteSqlRawAsync(postgres is null
                ? "CREATE TABLE \"BenchInserts\" (\"Id\" TEXT NOT NULL PRIMARY KEY, \"Body\" BLOB NOT NULL)"
                : "CREATE TABLE \"BenchInserts\" (\"Id\" uuid NOT NULL PRIMARY KEY, \"Body\" bytea NOT NULL)");
        }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(app.BaseUrl) };
        async Task<string> TokenAsync(string email)
        {
            const string password = "quiet lantern harbour walk";
            await RegisterConfirmedAsync(http, data, email, password);
            var login = await http.PostAsync("/api/auth/login", JsonContent(new { email, password }));
            login.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
        }

        // ---- Saving ----
        var writer = await TokenAsync("writer@example.test");
        var random = new Random(7);
        var texts = Enumerable.Range(0, 64).Select(_ => Sentences(random, 2048)).ToArray();
        var n = 0;
        HttpRequestMessage Save(string path, bool json)
        {
            var text = texts[Interlocked.Increment(ref n) % texts.Length];
            var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = json
                    ? JsonContent(new { kind = "free", title = "An evening", text, tags = new[] { "bench" } })
                    : new ByteArrayContent(Encoding.UTF8.GetBytes(text)),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", writer);
            return request;
        }
        Result ceiling, journal;
        string? gcNote = null;
        if (Wrk.Available)
        {
            // wrk (C, its own process) drives the load, so the measurement isn't sharing the server's
            // managed heap and thread pool with a .NET load generator.
            ceiling = await Wrk.PostAsync(app.BaseUrl + "/bench/durable-insert", writer, "text/plain", Encoding.UTF8.GetBytes(texts[0]), seconds, connections);
            var (ceilingGc, ceilingSteal) = (Wrk.LastGc, Wrk.LastSteal);
            journal = await Wrk.PostAsync(app.BaseUrl + "/api/v1/journal", writer, "application/json",
                JsonSerializer.SerializeToUtf8Bytes(new { kind = "free", title = "An evening", text = texts[0], tags = new[] { "bench" } }), seconds, connections);
            gcNote = $"While measured: the server's garbage collection: ceiling {ceilingGc}; journal {Wrk.LastGc}. " +
                $"CPU time the virtual machine's host took (steal): ceiling {ceilingSteal:P1}, journal {Wrk.LastSteal:P1}.";
        }
        else
        {
            ceiling = await LoadAsync(http, () => Save("/bench/durable-insert", json: false), HttpStatusCode.Created, seconds, connections);
            journal = await LoadAsync(http, () => Save("/api/v1/journal", json: true), HttpStatusCode.Created, seconds, connections);
        }

        Console.WriteLine($"### Saving 2 KB entries ({engine}, {connections} connections, {seconds} s each, load from {(Wrk.Available ? "wrk" : "an in-process HttpClient")})");
        Console.WriteLine();
        Console.WriteLine("| endpoint | requests/s | p50 ms | p99 ms | errors |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine(ceiling.Row("bare encrypted durable insert (ceiling)"));
        Console.WriteLine(journal.Row("POST /api/v1/journal"));
        Console.WriteLine();
        Console.WriteLine($"The journal save reaches {journal.PerSecond / ceiling.PerSecond:P0} of the ceiling's throughput, p99 {journal.P99:0.0} ms.");
        if (gcNote is not null) Console.WriteLine(gcNote);
        Console.WriteLine();
        if (saveOnly) return ceiling.Errors + journal.Errors == 0 ? 0 : 1;

        // ---- Search ----
        // Two people with 5,000 entries each: the first warms the process (JIT, query plans), so
        // the second's first query measures what a person meets: their own entries opened and indexed.
        var warmer = await TokenAsync("warmer@example.test");
        var reader = await TokenAsync("reader@example.test");
        var seedWatch = Stopwatch.StartNew();
        foreach (var email in new[] { "warmer@example.test", "reader@example.test" })
        {
            using var scope = app.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            var personId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            var start = DateTime.UtcNow.AddDays(-5000 / 3.0);
            var kinds = new[] { "free", "letter", "dialogue", "memory", "body", "free", "prompted" };
            for (var i = 0; i < 5000; i++)
            {
                var kind = kinds[i % kinds.Length];
                var text = Sentences(random, random.Next(200, 1500)) + (i % 100 == 0 ? " The lighthouse again." : "");
                var row = new JournalEntry
                {
                    Id = Guid.CreateVersion7(),
                    OwnerId = personId,
                    Kind = kind,
                    CreatedAt = start.AddHours(i * 8),
                    UpdatedAt = start.AddHours(i * 8),
                    Version = 1,
                    PromptId = kind == "prompted" ? "open-today" : null,
                };
                var content = new
                {
                    title = Sentences(random, 30),
                    text = kind is "dialogue" or "memory" or "body" ? "" : text,
                    tags = i % 5 == 0 ? new[] { "family" } : new[] { "work", "evening" },
                    letter = kind == "letter" ? new { direction = "toYounger", age = 8 } : null,
                    dialogue = kind == "dialogue" ? new { age = 7, turns = new[] { new { speaker = "now", text }, new { speaker = "younger", text = "Will you stay?" } } } : null,
                    memory = kind == "memory" ? new { age = i % 18, whatHappened = text, knowNow = "It was not my fault." } : null,
                    body = kind == "body" ? new { regions = new[] { new { region = "front:chest", sensations = new[] { "tight" }, intensity = 6 } } } : null,
                };
                row.Content = await db.SealAsync(personId, JournalEntry.Table, row.Id.ToString(), "content", JsonSerializer.Serialize(content, Attune.Features.Journal.Journal.Json));
                row.SearchText = await db.SealAsync(personId, JournalEntry.Table, row.Id.ToString(), "search",
                    JournalIndex.SearchText(content.tags, [content.title, content.text, content.dialogue?.turns[0].text, content.memory?.whatHappened, content.memory?.knowNow, content.body is null ? null : "chest tight"]));
                db.Add(row);
                if (i % 500 == 499) { await db.SaveChangesAsync(); db.ChangeTracker.Clear(); }
            }
        }
        Console.Error.WriteLine($"Seeded 2 × 5,000 entries in {seedWatch.Elapsed.TotalSeconds:0.0} s");

        async Task<(double P50, double P99, int Count)> Timed(string query, int runs, string? token = null)
        {
            var times = new List<double>();
            var count = 0;
            for (var i = 0; i < runs; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, query);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? reader);
                var t = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{query}: {(int)response.StatusCode} {body}");
                count = JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength();
            }
            times.Sort();
            return (times[times.Count / 2], times[(int)(times.Count * 0.99)], count);
        }

        var processCold = await Timed("/api/v1/journal?q=lighthouse", 1, warmer);
        await Timed("/api/v1/journal?q=kitchen", 20, warmer);
        var cold = await Timed("/api/v1/journal?q=lighthouse", 1);
        var from = DateTime.UtcNow.AddDays(-900).ToString("yyyy-MM-dd");
        var to = DateTime.UtcNow.AddDays(-300).ToString("yyyy-MM-dd");
        var shapes = new (string Name, string Query)[]
        {
            ("bare 50-row read (ceiling)", "/bench/rows"),
            ("newest 50, no filter", "/api/v1/journal"),
            ("q=lighthouse (rare word)", "/api/v1/journal?q=lighthouse"),
            ("q=kitchen (common word)", "/api/v1/journal?q=kitchen"),
            ("q=mother brave window (three words)", "/api/v1/journal?q=mother%20brave%20window"),
            ("kind=memory, tag=family, date range", $"/api/v1/journal?kind=memory&tag=family&from={from}&to={to}"),
        };
        Console.WriteLine($"### Search over one person's 5,000 entries ({engine}; one connection, 100 requests per row after 20 warm-up)");
        Console.WriteLine();
        Console.WriteLine("| query | p50 ms | p99 ms | items on the page |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| very first query after the app starts (JIT, query plans, and indexing 5,000) | {processCold.P50:0.0} | {processCold.P50:0.0} | {processCold.Count} |");
        Console.WriteLine($"| a person's first query (opens and indexes their 5,000) | {cold.P50:0.0} | {cold.P50:0.0} | {cold.Count} |");
        var worst = 0.0;
        foreach (var (name, query) in shapes)
        {
            await Timed(query, 20);
            var r = await Timed(query, 100);
            if (query.StartsWith("/api", StringComparison.Ordinal)) worst = Math.Max(worst, r.P99);
            Console.WriteLine($"| {name} | {r.P50:0.0} | {r.P99:0.0} | {r.Count} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Slowest search p99: {worst:0.0} ms (target: under 200 ms). Machine: {Environment.ProcessorCount} cores.");
        return ceiling.Errors + journal.Errors == 0 ? 0 : 1;
    }
}
