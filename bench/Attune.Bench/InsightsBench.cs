// Insights benchmark (bench/run.sh --suite insights [--postgres "<connection string>"]).
//
// One person with 5,000 activations over three years (daily, one to nine a day), each with one or
// two pattern codes and sealed text, and a PHQ-9 and GAD-7 every two weeks. Each range of
// GET /api/v1/insights/activations runs 20 times to warm up, then 100 times in a row on one
// connection; the progress report PDF (all time) runs 30 times. The ceiling, in the same run: a
// bare endpoint behind the same sign-in that runs one aggregate (count and mean intensity) over the
// same rows. Reported: p50/p99 per row, and each as a multiple of the ceiling's p50.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Activations;
using Attune.Features.Assessments;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Attune.Bench.BenchHttp;

namespace Attune.Bench;

internal static class InsightsBench
{
    public const int Activations = 5000;

    /// <summary>The ceiling: one aggregate over the person's activations, behind the same bearer sign-in.</summary>
    public static async Task<bool> CeilingAsync(HttpContext context)
    {
        var auth = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
        if (!auth.Succeeded) { context.Response.StatusCode = 401; return true; }
        var userId = auth.Principal!.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var db = context.RequestServices.GetRequiredService<AttuneDb>();
        var row = await db.Set<Activation>().AsNoTracking().Where(a => a.OwnerId == userId).GroupBy(a => a.OwnerId)
            .Select(g => new { Count = g.Count(), Mean = g.Average(a => (double)a.Intensity) }).FirstOrDefaultAsync();
        await context.Response.WriteAsJsonAsync(row);
        return true;
    }

    public static async Task<int> RunAsync(string data, string? postgres)
    {
        await using var app = new BenchApp(data, postgres, environment: "Production");
        app.StartServer();
        var engine = postgres is null ? "SQLite" : "PostgreSQL";
        Console.Error.WriteLine($"Attune on {app.BaseUrl} ({engine}), data in {data}");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(app.BaseUrl) };
        const string email = "insights@example.test", password = "quiet lantern harbour walk";
        await RegisterConfirmedAsync(http, data, email, password);
        var login = await http.PostAsync("/api/auth/login", JsonContent(new { email, password }));
        login.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;

        var seedWatch = Stopwatch.StartNew();
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            var personId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            string[] codes = ["reactions", "pleasing", "critic", "sabotage", "needs", "doubt", "boundaries", "abandonment"];
            var random = new Random(11);
            var now = DateTime.UtcNow;
            for (var i = 0; i < Activations; i++)
            {
                var at = now.AddDays(-3 * 365 * (Activations - i) / (double)Activations).AddMinutes(random.Next(-600, 600));
                if (at > now) at = now;
                var row = new Activation
                {
                    Id = Guid.CreateVersion7(),
                    OwnerId = personId,
                    OccurredAt = at,
                    LocalDay = DateOnly.FromDateTime(at).DayNumber,
                    LocalHour = at.Hour,
                    Intensity = random.Next(0, 11),
                    FeltAge = random.Next(0, 5) == 0 ? null : random.Next(3, 16),
                    CreatedAt = at,
                    UpdatedAt = at,
                };
                row.Content = await db.SealAsync(personId, Activation.Table, row.Id.ToString(), "content",
                    $$"""{"situation":"Something at work, number {{i}}","reaction":"Went quiet","emotions":["anxious","small"],"bodyRegions":["front:chest"],"needed":"Reassurance","response":"A walk"}""");
                foreach (var code in codes.OrderBy(_ => random.Next()).Take(random.Next(1, 3)))
                    row.Patterns.Add(new ActivationPattern { ActivationId = row.Id, Pattern = code });
                db.Add(row);
                if (i % 500 == 499) { await db.SaveChangesAsync(); db.ChangeTracker.Clear(); }
            }
            var instruments = scope.ServiceProvider.GetRequiredService<Instruments>();
            for (var day = 3 * 365; day > 0; day -= 14)
            {
                foreach (var code in new[] { "phq9", "gad7" })
                {
                    var instrument = instruments.Find(code)!;
                    var answers = instrument.Items.Select(_ => random.Next(0, 4)).ToArray();
                    var score = Instruments.Score(instrument, answers);
                    var id = Guid.CreateVersion7();
                    db.Add(new CheckIn
                    {
                        Id = id,
                        OwnerId = personId,
                        Instrument = code,
                        TakenAt = now.AddDays(-day),
                        Answers = await db.SealAsync(personId, CheckIn.Table, id.ToString(), "answers", JsonSerializer.Serialize(answers)),
                    });
                }
            }
            await db.SaveChangesAsync();
        }
        Console.Error.WriteLine($"Seeded {Activations:N0} activations in {seedWatch.Elapsed.TotalSeconds:0.0} s");

        async Task<(double P50, double P99, string Body)> Timed(string url, int runs)
        {
            var times = new List<double>(runs);
            var last = "";
            for (var i = 0; i < runs; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var t = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
                if (i == runs - 1 && response.Content.Headers.ContentType?.MediaType == "application/json") last = System.Text.Encoding.UTF8.GetString(bytes);
            }
            times.Sort();
            return (times[times.Count / 2], times[Math.Min(times.Count - 1, (int)(times.Count * 0.99))], last);
        }

        var first = await Timed("/api/v1/insights/activations?range=all", 1);
        var ceiling = await Timed("/bench/aggregate", 20);
        ceiling = await Timed("/bench/aggregate", 100);
        Console.WriteLine($"### Insights over one person's {Activations:N0} activations ({engine}; one connection, 100 requests per row after 20 warm-up)");
        Console.WriteLine();
        Console.WriteLine("| request | activations in range | p50 ms | p99 ms | × ceiling p50 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| bare aggregate: count and mean over all (ceiling) | {Activations:N0} | {ceiling.P50:0.0} | {ceiling.P99:0.0} | 1.0 |");
        Console.WriteLine($"| very first insights request after the app starts (JIT, query plans) | {Activations:N0} | {first.P50:0.0} | {first.P50:0.0} | {first.P50 / ceiling.P50:0.0} |");
        var worst = 0.0;
        foreach (var range in new[] { "4w", "3m", "1y", "all" })
        {
            var url = $"/api/v1/insights/activations?range={range}";
            await Timed(url, 20);
            var r = await Timed(url, 100);
            worst = Math.Max(worst, r.P99);
            var count = JsonDocument.Parse(r.Body).RootElement.GetProperty("count").GetInt32();
            Console.WriteLine($"| insights, range={range} | {count:N0} | {r.P50:0.0} | {r.P99:0.0} | {r.P50 / ceiling.P50:0.0} |");
        }
        await Timed("/api/v1/insights/report?range=all", 5);
        var report = await Timed("/api/v1/insights/report?range=all", 30);
        Console.WriteLine($"| progress report PDF, range=all (30 requests) | {Activations:N0} | {report.P50:0.0} | {report.P99:0.0} | {report.P50 / ceiling.P50:0.0} |");
        Console.WriteLine();
        Console.WriteLine($"Slowest insights p99: {worst:0.0} ms (target: under 300 ms). Machine: {Environment.ProcessorCount} cores.");
        return 0;
    }
}
