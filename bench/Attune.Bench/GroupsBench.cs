// Group rooms benchmark (bench/run.sh --suite groups [--postgres "<connection string>"]).
//
// The server runs in its own process (this program with --serve-groups), so its memory and CPU can
// be read from /proc without the load generator's. 100 groups, each a facilitator and 7 members (800
// people), each with a meeting whose room is open and in a round; all 800 hold /api/v1/events open.
// Two load shapes, each measured for the app and for its ceilings in the same run:
//   burst:  in each of 30 waves every room's holder posts at once (at most 64 in flight);
//   spread: in each of 30 waves every room's holder posts once at a random moment within one second
//           (100 posts a second: still far more than 100 real rooms, where a turn takes minutes).
// Rows, per shape:
//   a turn's post: POST …/room/events sent (and answered) → the last of that room's 8 streams has the
//     group.room frame with the new version (between waves the piece is passed on, unmeasured). Sent
//     with Prefer: return=minimal (the short answer: the version and where the room stands), as the
//     room page's own forms do; in the burst also with the full answer (the poster's whole view), first,
//     so it runs on rooms as full as the first measurements';
//   hub-only fan-out: an in-process publish on the app's hub to the room's 8 signed-in streams (no
//     sign-in on the request, no database) → the last of the 8;
//   bare SSE broadcast (the ceiling): 100 groups of 8 bare SSE responses (no sign-in, no hub, no
//     database), sent the same way → the last of the 8;
//   (burst only) the floor: a signed-in POST that seals its body and commits one row (no room, no
//     fan-out), sent → answered.
// With each: the server's CPU time per operation (/proc/<pid>/stat) and, for posts, the database
// commands each ran (the app's Attune:Bench counters). Then the server's resident memory.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Groups;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Attune.Bench.BenchHttp;
using static Attune.Bench.EventsBench;

namespace Attune.Bench;

internal static class GroupsBench
{
    private const int Groups = 100, Members = 7, PerRoom = Members + 1, Waves = 30, WarmUp = 2, InFlight = 64, SpreadMs = 1000;
    private const string Password = "quiet lantern harbour walk";
    private static readonly string PostText = string.Concat(Enumerable.Repeat("I noticed my younger self today, and I stayed with her a while. ", 4));

    private static string Email(int group, int seat) => $"g{group:000}s{seat}@example.test"; // seat 0 is the facilitator

    // ---------------- server side (--serve-groups) ----------------

    private static readonly List<string> RoomPaths = [];
    private static readonly List<string[]> People = []; // each group's user ids

    /// <summary>
    /// GET /bench/rooms: each group's room route, in the order of the people's emails. POST
    /// /bench/hub?g=&amp;id=: the hub-only fan-out, this node's hub delivering one frame to group g's 8 people.
    /// </summary>
    private sealed class RoomList : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/bench/rooms", a => a.Run(context => context.Response.WriteAsJsonAsync(RoomPaths)));
            app.Map("/bench/hub", a => a.Run(context =>
            {
                var hub = context.RequestServices.GetRequiredService<EventHub>();
                var id = Guid.Parse(context.Request.Query["id"]!);
                foreach (var person in People[int.Parse(context.Request.Query["g"]!, System.Globalization.CultureInfo.InvariantCulture)])
                    hub.Deliver(person, "bench.hub", id);
                context.Response.StatusCode = 204;
                return Task.CompletedTask;
            }));
            next(app);
        };
    }

    public static async Task<int> ServeAsync(string data, string? postgres)
    {
        await using var app = new BenchApp(data, postgres, environment: "Production", extra: services =>
        {
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1); // sign-in is not what this measures
            services.AddTransient<IStartupFilter, Endpoints>();
            services.AddTransient<IStartupFilter, RoomList>();
        }, settings: new() { ["Attune:Bench"] = "true" }); // the per-request command counters
        app.StartServer();
        using (var scope = app.Services.CreateScope()) // the floor's table (/bench/durable-insert)
            await scope.ServiceProvider.GetRequiredService<AttuneDb>().Database.ExecuteSqlRawAsync(postgres is null
                ? "CREATE TABLE \"BenchInserts\" (\"Id\" TEXT NOT NULL PRIMARY KEY, \"Body\" BLOB NOT NULL)"
                : "CREATE TABLE \"BenchInserts\" (\"Id\" uuid NOT NULL PRIMARY KEY, \"Body\" bytea NOT NULL)");
        var now = DateTime.UtcNow;
        for (var g = 0; g < Groups; g++)
        {
            using var scope = app.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AttuneUser>>();
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            var keys = scope.ServiceProvider.GetRequiredService<SharedKeys>();
            var ids = new List<string>();
            for (var seat = 0; seat < PerRoom; seat++)
            {
                var user = new AttuneUser { UserName = Email(g, seat), Email = Email(g, seat), EmailConfirmed = true, CreatedAt = now };
                var created = await users.CreateAsync(user, Password);
                if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
                ids.Add(user.Id);
            }
            var group = new Group
            {
                Id = SequentialGuid.Next(),
                FacilitatorId = ids[0],
                FacilitatorName = $"Facilitator {g}",
                Title = $"Bench group {g}",
                ForWhom = "Anyone",
                Description = "A group for the benchmark.",
                Focus = "Meeting your younger self",
                Capacity = 8,
                TimeZone = "UTC",
                MeetingMinutes = 90,
                Join = "invite",
                CreatedAt = now,
            };
            db.Add(group);
            var meeting = new GroupMeeting { Id = SequentialGuid.Next(), GroupId = group.Id, Number = 1, StartsAt = now.AddMinutes(-1), Minutes = 90 };
            db.Add(meeting);
            RoomPaths.Add($"/api/v1/groups/{group.Id}/meetings/{meeting.Id}/room");
            People.Add([.. ids]);
            await db.SaveChangesAsync();
            var key = await keys.CreateAsync(group.Id, ids);
            for (var seat = 1; seat < PerRoom; seat++)
            {
                var member = new GroupMember { Id = SequentialGuid.Next(), GroupId = group.Id, UserId = ids[seat], AgreedAt = now };
                member.GroupName = key.Seal(GroupMember.Table, member.Id.ToString(), "groupName", $"Member {seat}");
                db.Add(member);
            }
            await db.SaveChangesAsync();
        }
        Console.WriteLine(app.BaseUrl);
        Console.Out.Flush();
        await Console.In.ReadToEndAsync(); // until the bench closes our input
        return 0;
    }

    // ---------------- load side ----------------

    public static Task<int> RunAsync(string data, string? postgres) =>
        WithServerAsync("--serve-groups", data, postgres, (baseUrl, pid) => MeasureAsync(baseUrl, pid, postgres is null ? "SQLite" : "PostgreSQL"));

    /// <summary>One room as the load side tracks it: its route, its people's tokens and stream listeners, the version last seen.</summary>
    private sealed class Room
    {
        public string Path = "";
        public string FacilitatorToken = "";
        public readonly Dictionary<string, string> TokenOf = []; // memberId → token
        public Listener[] App = [];
        public Listener[] Bare = [];
        public long Version;
        public string? Holder;
    }

    private static async Task<int> MeasureAsync(string baseUrl, int serverPid, string engine)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 4 * Groups * PerRoom, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        var clock = Stopwatch.StartNew();
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

        var tokens = new string[Groups, PerRoom];
        await Parallel.ForAsync(0, Groups * PerRoom, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var login = await http.PostAsync("/api/auth/login", JsonContent(new { email = Email(i / PerRoom, i % PerRoom), password = Password }), ct);
            login.EnsureSuccessStatusCode();
            tokens[i / PerRoom, i % PerRoom] = JsonDocument.Parse(await login.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("accessToken").GetString()!;
        });

        var paths = JsonSerializer.Deserialize<List<string>>(await http.GetStringAsync("/bench/rooms"))!;
        // Each room: open, everyone checks in, a round in check-in order.
        var rooms = new Room[Groups];
        await Parallel.ForAsync(0, Groups, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (g, ct) =>
        {
            var room = rooms[g] = new Room { FacilitatorToken = tokens[g, 0] };
            room.Path = paths[g];
            await EventAsync(http, room, room.FacilitatorToken, new { type = "open" });
            for (var seat = 1; seat < PerRoom; seat++)
            {
                var state = await EventAsync(http, room, tokens[g, seat], new { type = "checkIn", suds = 3, word = "here" });
                room.TokenOf[state.GetProperty("me").GetProperty("memberId").GetString()!] = tokens[g, seat];
            }
            await EventAsync(http, room, room.FacilitatorToken, new { type = "startRound", promptId = (string?)null });
        });
        Console.Error.WriteLine($"{Groups} rooms open, each in a round with {Members} members checked in");

        await Task.Delay(1000);
        var rssBefore = Rss(serverPid);
        using var stop = new CancellationTokenSource();
        static string Key(JsonElement d) => d.TryGetProperty("version", out var v) ? $"{d.GetProperty("meetingId").GetString()}:{v.GetInt64()}" : d.GetProperty("id").GetString()!;
        await Parallel.ForAsync(0, Groups, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (g, _) =>
        {
            var listeners = new Listener[PerRoom];
            for (var seat = 0; seat < PerRoom; seat++) listeners[seat] = await OpenAsync(http, "/api/v1/events", tokens[g, seat], clock, stop.Token, Key);
            rooms[g].App = listeners;
        });
        await Task.Delay(2000);
        var rssConnected = Rss(serverPid);
        var heapConnected = await HeapAsync(http);

        var random = new Random(19);
        var missed = 0;
        var measuring = false; // this wave counts (the first two warm up)
        var results = new List<(string Shape, string Row, List<double> Ms, double CpuMs)>();
        double postQueries = 0;
        long postCount = 0;

        // Runs 2 + 30 waves of one operation on every room, burst or spread, and keeps its samples and server CPU per operation.
        async Task<List<double>> WavesAsync(string shape, string row, Func<Room, int, Task<double?>> one, Func<Task>? between = null, bool countQueries = false)
        {
            var samples = new ConcurrentBag<double>();
            using var gate = new SemaphoreSlim(shape == "burst" ? InFlight : Groups);
            double cpu = 0;
            for (var wave = 0; wave < Waves + WarmUp; wave++)
            {
                var measured = measuring = wave >= WarmUp;
                var offsets = Enumerable.Range(0, Groups).Select(_ => shape == "burst" ? 0 : random.Next(SpreadMs)).ToArray();
                var (cpuBefore, queriesBefore) = (Cpu(serverPid), countQueries ? await RoomQueriesAsync(http) : default);
                await Task.WhenAll(rooms.Select(async (room, g) =>
                {
                    if (offsets[g] > 0) await Task.Delay(offsets[g]);
                    await gate.WaitAsync();
                    try
                    {
                        var ms = await one(room, g);
                        if (!measured) return;
                        if (ms is null) Interlocked.Increment(ref missed);
                        else samples.Add(ms.Value);
                    }
                    finally { gate.Release(); }
                }));
                if (measured)
                {
                    cpu += Cpu(serverPid) - cpuBefore;
                    if (countQueries)
                    {
                        var after = await RoomQueriesAsync(http);
                        postQueries += after.Queries - queriesBefore.Queries;
                        postCount += after.Requests - queriesBefore.Requests;
                    }
                }
                if (between is not null) await between();
            }
            var list = samples.ToList();
            results.Add((shape, row, list, cpu / Math.Max(1, list.Count)));
            return list;
        }

        // Pass the piece on, unmeasured; a new round once everyone has had a turn.
        Task PassOnAsync() => Parallel.ForEachAsync(rooms, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (room, _) =>
        {
            await EventAsync(http, room, room.TokenOf[room.Holder!], new { type = "done" });
            if (room.Holder is null) await EventAsync(http, room, room.FacilitatorToken, new { type = "startRound", promptId = (string?)null });
        });
        var fromAnswer = new Dictionary<string, ConcurrentBag<double>> { ["burst"] = [], ["spread"] = [] };
        Func<Room, int, Task<double?>> Post(string shape, bool minimal = true) => async (room, _) =>
        {
            var sent = clock.ElapsedTicks;
            var state = await EventAsync(http, room, room.TokenOf[room.Holder!], new { type = "post", text = PostText }, minimal);
            var answered = clock.ElapsedTicks;
            if (minimal && (state.TryGetProperty("posts", out JsonElement _) || state.GetProperty("postId").ValueKind != JsonValueKind.String))
                throw new InvalidOperationException("The short answer to a post should carry the post's id and no posts.");
            var last = await LastArrivalAsync(room.App, $"{state.GetProperty("meetingId").GetString()}:{room.Version}", TimeSpan.FromSeconds(10));
            if (last is null) return null;
            if (measuring) fromAnswer[shape].Add(Math.Max(0, Ms(last.Value - answered)));
            return Ms(last.Value - sent);
        };
        async Task<double?> HubAsync(Room room, int g)
        {
            var id = Guid.NewGuid().ToString();
            var sent = clock.ElapsedTicks;
            using (var response = await http.PostAsync($"/bench/hub?g={g}&id={id}", null)) response.EnsureSuccessStatusCode();
            return await LastArrivalAsync(room.App, id, TimeSpan.FromSeconds(10)) is { } last ? Ms(last - sent) : null;
        }
        async Task<double?> FloorAsync(Room room, int _)
        {
            var sent = clock.ElapsedTicks;
            await SendAsync(http, HttpMethod.Post, "/bench/durable-insert", room.FacilitatorToken, new { text = PostText }, HttpStatusCode.Created);
            return Ms(clock.ElapsedTicks - sent);
        }

        // 1. The app: posts in both shapes (the full answer first, in the burst), the hub alone, the floor.
        fromAnswer["full"] = [];
        await WavesAsync("burst", "a turn's post, full answer: POST sent → last of the room's 8 streams has the new version", Post("full", minimal: false), PassOnAsync);
        var burstPosts = await WavesAsync("burst", "a turn's post: POST sent → last of the room's 8 streams has the new version", Post("burst"), PassOnAsync, countQueries: true);
        results.Add(("burst", "a turn's post: POST answered → last of the room's 8 streams", [.. fromAnswer["burst"]], double.NaN));
        var spreadPosts = await WavesAsync("spread", "a turn's post: POST sent → last of the room's 8 streams has the new version", Post("spread"), PassOnAsync, countQueries: true);
        results.Add(("spread", "a turn's post: POST answered → last of the room's 8 streams", [.. fromAnswer["spread"]], double.NaN));
        await WavesAsync("burst", "hub-only fan-out: in-process publish to the room's 8 signed-in streams (no database)", HubAsync);
        await WavesAsync("spread", "hub-only fan-out: in-process publish to the room's 8 signed-in streams (no database)", HubAsync);
        await WavesAsync("burst", "floor: a signed-in POST that seals its body and commits one row, sent → answered (no fan-out)", FloorAsync);
        stop.Cancel();
        await Task.Delay(1000);

        // 2. The bare ceiling: 100 groups of 8 bare streams.
        using var stopBare = new CancellationTokenSource();
        await Parallel.ForAsync(0, Groups, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (g, _) =>
        {
            var listeners = new Listener[PerRoom];
            for (var seat = 0; seat < PerRoom; seat++) listeners[seat] = await OpenAsync(http, $"/bench/sse?g={g}", null, clock, stopBare.Token);
            rooms[g].Bare = listeners;
        });
        await Task.Delay(2000);
        async Task<double?> BareAsync(Room room, int g)
        {
            var id = Guid.NewGuid().ToString();
            var sent = clock.ElapsedTicks;
            using (var response = await http.PostAsync($"/bench/broadcast?g={g}&id={id}", null)) response.EnsureSuccessStatusCode();
            return await LastArrivalAsync(room.Bare, id, TimeSpan.FromSeconds(10)) is { } last ? Ms(last - sent) : throw new InvalidOperationException("a bare broadcast did not reach all 8");
        }
        var burstBare = await WavesAsync("burst", "bare SSE broadcast to a room's 8 (ceiling): sent → last of the 8", BareAsync);
        var spreadBare = await WavesAsync("spread", "bare SSE broadcast to a room's 8 (ceiling): sent → last of the 8", BareAsync);
        stopBare.Cancel();

        Console.WriteLine($"### Group rooms ({engine}: {Groups} rooms of {PerRoom}, {Groups * PerRoom} streams open, {Waves} waves; server in its own process)");
        foreach (var (shape, title) in new[] { ("burst", $"burst: every room posts at once, at most {InFlight} in flight"), ("spread", $"spread: every room posts once at a random moment within {SpreadMs} ms") })
        {
            Console.WriteLine();
            Console.WriteLine($"#### {title}");
            Console.WriteLine();
            Console.WriteLine("| measure | n | p50 ms | p99 ms | max ms | server CPU ms/op |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var r in results.Where(r => r.Shape == shape).OrderBy(r => r.Row.StartsWith("bare", StringComparison.Ordinal) ? 0 : r.Row.StartsWith("hub", StringComparison.Ordinal) ? 1 : r.Row.StartsWith("floor", StringComparison.Ordinal) ? 2 : 3))
                Console.WriteLine(Row(r.Row, r.Ms)[..^2] + (double.IsNaN(r.CpuMs) ? " | |" : $" | {r.CpuMs:0.00} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"A post reaches all 8 at p99 {Percentile(burstPosts, 0.99) / Percentile(burstBare, 0.99):0.00}× the bare broadcast's p99 in the burst, "
            + $"{Percentile(spreadPosts, 0.99) / Percentile(spreadBare, 0.99):0.00}× in the spread (goal ≤ 1.2×); {missed} posts missed a stream.");
        Console.WriteLine($"Database commands per post with the short answer (the app's counters, sign-in included): {postQueries / Math.Max(1, postCount):0.0} over {postCount} posts.");
        Console.WriteLine($"Server memory (VmRSS): {rssBefore:0} MB with everyone signed in and no streams, {rssConnected:0} MB with {Groups * PerRoom} streams open (managed heap {heapConnected.Heap:0} MB, committed {heapConnected.Committed:0}).");
        return missed == 0 ? 0 : 1;
    }

    /// <summary>The server's user and system CPU time so far, in ms (/proc/&lt;pid&gt;/stat, clock ticks of 10 ms).</summary>
    private static double Cpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>The room events' requests and database commands so far, from the app's counters.</summary>
    private static async Task<(long Requests, long Queries)> RoomQueriesAsync(HttpClient http)
    {
        var paths = JsonDocument.Parse(await http.GetStringAsync("/bench/stats")).RootElement.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.EndsWith("/room/events", StringComparison.Ordinal)).ToList();
        return (paths.Sum(p => p.Value.GetProperty("requests").GetInt64()), paths.Sum(p => p.Value.GetProperty("queries").GetInt64()));
    }

    /// <summary>Sends one room event at the version last seen and keeps the new version and holder.</summary>
    private static async Task<JsonElement> EventAsync(HttpClient http, Room room, string token, object body, bool minimal = false)
    {
        var json = JsonSerializer.SerializeToElement(body);
        var withVersion = new Dictionary<string, object?> { ["expectedVersion"] = room.Version };
        foreach (var p in json.EnumerateObject()) withVersion[p.Name] = p.Value;
        var state = JsonDocument.Parse(await SendAsync(http, HttpMethod.Post, room.Path + "/events", token, withVersion, HttpStatusCode.OK, minimal)).RootElement;
        room.Version = state.GetProperty("version").GetInt64();
        room.Holder = state.GetProperty("holder").ValueKind == JsonValueKind.String ? state.GetProperty("holder").GetString() : null;
        return state;
    }

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, string path, string token, object? body, HttpStatusCode expected, bool minimal = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (minimal) request.Headers.Add("Prefer", "return=minimal");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text;
    }
}
