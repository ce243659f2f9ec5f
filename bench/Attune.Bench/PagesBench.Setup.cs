// The page benchmark's setup: publishing the app, seeding a year of history, starting the server.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Activations;
using Attune.Features.Assessments;
using Attune.Features.Journal;
using Attune.Features.Journey;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Bench;

internal static partial class PagesBench
{
    // ---------------- build, seed, start ----------------

    internal static async Task<string> PublishAsync(string repo, string data)
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

    internal static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    internal static Process StartServer(string publish, string data, string url, string? postgres, IReadOnlyList<string> env)
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
        start.Environment["Attune__PublicBaseUrl"] = "https://localhost"; // required outside Development (links in emails)
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

    internal static async Task WaitForHealthAsync(HttpClient http, Process server)
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
}
