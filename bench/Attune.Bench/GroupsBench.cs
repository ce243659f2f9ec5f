// Group rooms benchmark (bench/run.sh --suite groups [--postgres "<connection string>"]).
//
// The server runs in its own process (this program with --serve-groups), so its memory can be read
// from /proc without the load generator's. 100 groups, each a facilitator and 7 members (800
// people), each with a meeting whose room is open and in a round; all 800 hold /api/v1/events open.
// 1. 30 waves: in each, every room's holder of the talking piece posts at once (at most 64 in
//    flight), through POST …/room/events with the version they last saw. Measured from sending the
//    POST (and from its answer) to the moment the last of that room's 8 streams has the group.room
//    frame with the new version. Between waves the holder passes the piece on ("done"; a new round
//    when everyone has had a turn), unmeasured.
// 2. The ceiling, in the same run: 100 groups of 8 bare SSE responses (no sign-in, no hub, no
//    database), every group's broadcast sent together in each wave, from sending to the last of the 8.
// 3. The server's resident memory before the streams open and with 800 open.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Groups;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Attune.Bench.BenchHttp;
using static Attune.Bench.EventsBench;

namespace Attune.Bench;

internal static class GroupsBench
{
    private const int Groups = 100, Members = 7, PerRoom = Members + 1, Waves = 30, InFlight = 64;
    private const string Password = "quiet lantern harbour walk";
    private static readonly string PostText = string.Concat(Enumerable.Repeat("I noticed my younger self today, and I stayed with her a while. ", 4));

    private static string Email(int group, int seat) => $"g{group:000}s{seat}@example.test"; // seat 0 is the facilitator

    // ---------------- server side (--serve-groups) ----------------

    private static readonly List<string> RoomPaths = [];

    /// <summary>GET /bench/rooms: each group's room route, in the order of the people's emails.</summary>
    private sealed class RoomList : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/bench/rooms", a => a.Run(context => context.Response.WriteAsJsonAsync(RoomPaths)));
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
        });
        app.StartServer();
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

        // 1. Waves of posts.
        var fromSend = new ConcurrentBag<double>();
        var fromAnswer = new ConcurrentBag<double>();
        var missed = 0;
        using var gate = new SemaphoreSlim(InFlight);
        for (var wave = 0; wave < Waves + 2; wave++)
        {
            var measured = wave >= 2; // two waves of warm-up
            await Task.WhenAll(rooms.Select(async room =>
            {
                await gate.WaitAsync();
                try
                {
                    var sent = clock.ElapsedTicks;
                    var state = await EventAsync(http, room, room.TokenOf[room.Holder!], new { type = "post", text = PostText });
                    var answered = clock.ElapsedTicks;
                    var meetingId = state.GetProperty("meetingId").GetString();
                    var last = await LastArrivalAsync(room.App, $"{meetingId}:{room.Version}", TimeSpan.FromSeconds(10));
                    if (!measured) return;
                    if (last is null) { Interlocked.Increment(ref missed); return; }
                    fromSend.Add(Ms(last.Value - sent));
                    fromAnswer.Add(Math.Max(0, Ms(last.Value - answered)));
                }
                finally { gate.Release(); }
            }));
            // Pass the piece on, unmeasured; a new round once everyone has had a turn.
            await Parallel.ForEachAsync(rooms, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (room, _) =>
            {
                await EventAsync(http, room, room.TokenOf[room.Holder!], new { type = "done" });
                if (room.Holder is null) await EventAsync(http, room, room.FacilitatorToken, new { type = "startRound", promptId = (string?)null });
            });
        }
        stop.Cancel();
        await Task.Delay(1000);

        // 2. The bare ceiling: 100 groups of 8 bare streams, every group's broadcast sent together.
        using var stopBare = new CancellationTokenSource();
        await Parallel.ForAsync(0, Groups, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (g, _) =>
        {
            var listeners = new Listener[PerRoom];
            for (var seat = 0; seat < PerRoom; seat++) listeners[seat] = await OpenAsync(http, $"/bench/sse?g={g}", null, clock, stopBare.Token);
            rooms[g].Bare = listeners;
        });
        await Task.Delay(2000);
        var bare = new ConcurrentBag<double>();
        for (var wave = 0; wave < Waves + 2; wave++)
        {
            var measured = wave >= 2;
            await Task.WhenAll(rooms.Select(async (room, g) =>
            {
                await gate.WaitAsync();
                try
                {
                    var id = Guid.NewGuid().ToString();
                    var sent = clock.ElapsedTicks;
                    using (var response = await http.PostAsync($"/bench/broadcast?g={g}&id={id}", null)) response.EnsureSuccessStatusCode();
                    var last = await LastArrivalAsync(room.Bare, id, TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("a bare broadcast did not reach all 8");
                    if (measured) bare.Add(Ms(last - sent));
                }
                finally { gate.Release(); }
            }));
        }
        stopBare.Cancel();

        var app = fromSend.ToList();
        var ceiling = bare.ToList();
        Console.WriteLine($"### Group rooms ({engine}: {Groups} rooms of {PerRoom}, {Groups * PerRoom} streams open, {Waves} waves, at most {InFlight} posts in flight; server in its own process)");
        Console.WriteLine();
        Console.WriteLine("| measure | n | p50 ms | p99 ms | max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine(Row("bare SSE broadcast to a room's 8 (ceiling): POST sent → last of the 8", ceiling));
        Console.WriteLine(Row("a turn's post: POST sent → last of the room's 8 streams has the new version", app));
        Console.WriteLine(Row("a turn's post: POST answered → last of the room's 8 streams", fromAnswer.ToList()));
        Console.WriteLine();
        Console.WriteLine($"A post reaches all 8 at p99 {Percentile(app, 0.99) / Percentile(ceiling, 0.99):0.00}× the bare broadcast's p99 (goal ≤ 1.2×); {missed} posts missed a stream.");
        Console.WriteLine($"Server memory (VmRSS): {rssBefore:0} MB with everyone signed in and no streams, {rssConnected:0} MB with {Groups * PerRoom} streams open (managed heap {heapConnected.Heap:0} MB, committed {heapConnected.Committed:0}).");
        return missed == 0 ? 0 : 1;
    }

    /// <summary>Sends one room event at the version last seen and keeps the new version and holder.</summary>
    private static async Task<JsonElement> EventAsync(HttpClient http, Room room, string token, object body)
    {
        var json = JsonSerializer.SerializeToElement(body);
        var withVersion = new Dictionary<string, object?> { ["expectedVersion"] = room.Version };
        foreach (var p in json.EnumerateObject()) withVersion[p.Name] = p.Value;
        var state = JsonDocument.Parse(await SendAsync(http, HttpMethod.Post, room.Path + "/events", token, withVersion, HttpStatusCode.OK)).RootElement;
        room.Version = state.GetProperty("version").GetInt64();
        room.Holder = state.GetProperty("holder").ValueKind == JsonValueKind.String ? state.GetProperty("holder").GetString() : null;
        return state;
    }

    private static async Task<string> SendAsync(HttpClient http, HttpMethod method, string path, string token, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text;
    }
}
