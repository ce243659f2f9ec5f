// Soak (bench/run.sh --suite soak --postgres "<connection string>"; --minutes 10, --rate N):
// Attune as an operator scales it out, for ten minutes. Two published nodes (their own processes,
// Production, one PostgreSQL database, one master key, one mail folder) behind nginx running
// deploy/nginx-attune.conf itself (TLS with a throwaway certificate, round robin), on 127.0.0.1.
//
// People register, confirm from the emailed link and sign in through nginx; each person's
// supporter joins their circle and keeps a live event stream open through nginx all along.
// First a probe finds the rate this machine sustains (closed loop, 30 s); then the soak sends
// half of it, paced (open loop: each request's latency counts from when it was due, so a stall
// shows as the queue behind it, not as fewer requests), as a mix of what people do: journal
// saves, edits and reads, the Today and journal pages with a browser's cookie, and reaches that
// their supporter answers. Every minute it prints the requests, errors and latency, each node's
// resident memory and open sockets, PostgreSQL's connections to the database, and the jobs
// waiting; at the end, whether every saved entry reads back and every reach arrived live.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Attune.Bench;

internal static partial class SoakBench
{
    private const string Password = "quiet lantern harbour walk";

    private sealed record Person(string Email, string Token, string Cookie, string Entry);

    private sealed class Minute
    {
        public readonly ConcurrentBag<double> Latencies = [];
        public int Errors;
        public readonly ConcurrentDictionary<string, int> ErrorKinds = new();
    }

    public static async Task<int> RunAsync(string repo, string data, string? postgres, int minutes, int? fixedRate, int pairs)
    {
        if (postgres is null)
        {
            Console.Error.WriteLine("The soak runs two nodes on one database: give --postgres \"<connection string>\".");
            return 2;
        }
        if (!File.Exists("/usr/sbin/nginx")) { Console.Error.WriteLine("The soak needs nginx (apt-get install nginx)."); return 2; }
        var publish = await PagesBench.PublishAsync(repo, data);
        var dir = Directory.CreateDirectory(Path.Combine(data, "nginx")).FullName;
        var mail = Directory.CreateDirectory(Path.Combine(data, "mail")).FullName;
        var port = PagesBench.FreePort();
        var site = $"https://127.0.0.1:{port}";
        string[] NodeEnv(string name) =>
        [
            "Attune__MasterKey=1:" + MasterKey,
            "Attune__PublicBaseUrl=" + site,
            "Attune__DataDirectory=" + Directory.CreateDirectory(Path.Combine(data, name)).FullName,
            "Email__PickupDirectory=" + mail,
            "Attune__Bench=false",
            "Attune__EmailRequestsPerHour=1000000", // every sign-up comes from 127.0.0.1 through nginx
        ];
        var urlA = $"http://127.0.0.1:{PagesBench.FreePort()}";
        var urlB = $"http://127.0.0.1:{PagesBench.FreePort()}";
        using var a = PagesBench.StartServer(publish, Path.Combine(data, "a"), urlA, postgres, NodeEnv("a"));
        Process? b = null, nginx = null;
        try
        {
            using (var direct = new HttpClient { BaseAddress = new Uri(urlA) }) await PagesBench.WaitForHealthAsync(direct, a); // the first node migrates and makes the key ring
            b = PagesBench.StartServer(publish, Path.Combine(data, "b"), urlB, postgres, NodeEnv("b"));
            using (var direct = new HttpClient { BaseAddress = new Uri(urlB) }) await PagesBench.WaitForHealthAsync(direct, b);
            var thumbprint = await WriteNginxAsync(repo, dir, port, new Uri(urlA).Authority, new Uri(urlB).Authority);
            nginx = StartNginx(dir);
            using var http = Client(site, thumbprint);
            await WaitAsync(http);

            // People and their supporters, through nginx, as they would sign up.
            var people = new Person[pairs];
            var supporters = new string[pairs];
            await Parallel.ForAsync(0, pairs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            {
                var (email, supporterEmail) = ($"soak{i:00}@example.test", $"soak{i:00}-friend@example.test");
                await BenchHttp.RegisterConfirmedAsync(http, data, email, Password);
                await BenchHttp.RegisterConfirmedAsync(http, data, supporterEmail, Password);
                var token = await TokenAsync(http, email);
                supporters[i] = await TokenAsync(http, supporterEmail);
                await JoinAsync(http, mail, token, supporters[i], supporterEmail);
                var entry = JsonDocument.Parse(await Ok(await Send(http, HttpMethod.Post, "/api/v1/journal", token, new { kind = "free", text = $"soak {i} first entry" }))).RootElement.GetProperty("id").GetString()!;
                people[i] = new Person(email, token, await PagesBench.SignInPagesAsync(http, email, Password), entry);
            });
            Console.Error.WriteLine($"{pairs} people and {pairs} supporters signed up through nginx");

            // Each supporter's live stream, open through nginx for the whole run.
            using var stop = new CancellationTokenSource();
            var streams = new Streams();
            var streamTasks = supporters.Select(t => streams.HoldAsync(site, thumbprint, t, stop.Token)).ToArray();
            await streams.WaitOpenAsync(pairs);

            // The probe: what the two nodes sustain through nginx, closed loop.
            var tally = new Tally();
            var probeWorkers = 24;
            var probe = Stopwatch.StartNew();
            var probeDone = 0L;
            await Task.WhenAll(Enumerable.Range(0, probeWorkers).Select(w => Task.Run(async () =>
            {
                using var client = Client(site, thumbprint);
                for (var n = w; probe.Elapsed < TimeSpan.FromSeconds(30); n += probeWorkers)
                {
                    await OneAsync(client, people, supporters, n, tally, null);
                    Interlocked.Increment(ref probeDone);
                }
            })));
            var sustained = probeDone / probe.Elapsed.TotalSeconds;
            var rate = fixedRate ?? Math.Max(10, (int)(sustained / 2 / 10) * 10);
            Console.WriteLine($"### Soak through nginx to two nodes on PostgreSQL ({minutes} min)");
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Probe (closed loop, {probeWorkers} clients, 30 s): {sustained:0} requests/s sustained, {tally.Errors} errors. Soak rate: **{rate} requests/s**{(fixedRate is null ? " (half the probe)" : " (--rate)")}, paced, {pairs} people and {pairs} supporters, {pairs} live streams open throughout."));
            Console.WriteLine();

            // The soak: paced, with a bounded number of requests in flight.
            var buckets = Enumerable.Range(0, minutes).Select(_ => new Minute()).ToArray();
            tally = new Tally();
            var clock = Stopwatch.StartNew();
            var total = (long)rate * 60 * minutes;
            var inFlight = new SemaphoreSlim(256);
            var clients = Enumerable.Range(0, 8).Select(_ => Client(site, thumbprint)).ToArray();
            var samples = new List<string>();
            var sampler = Task.Run(async () =>
            {
                for (var m = 1; m <= minutes; m++)
                {
                    var due = TimeSpan.FromMinutes(m);
                    if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
                    samples.Add(await SampleAsync(postgres, a, b, buckets[m - 1], m, streams, tally));
                    Console.Error.WriteLine($"minute {m}: {samples[^1]}");
                }
            });
            var sent = new List<Task>();
            for (long n = 0; n < total; n++)
            {
                var due = TimeSpan.FromSeconds(n / (double)rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                await inFlight.WaitAsync();
                var number = n;
                sent.Add(Task.Run(async () =>
                {
                    try
                    {
                        var bucket = buckets[Math.Min(minutes - 1, (int)(due.TotalMinutes))];
                        await OneAsync(clients[number % clients.Length], people, supporters, number, tally, bucket);
                        bucket.Latencies.Add((clock.Elapsed - due).TotalMilliseconds); // from when it was due
                    }
                    finally { inFlight.Release(); }
                }));
                if (sent.Count > 4096) { sent.RemoveAll(t => t.IsCompleted); }
            }
            await Task.WhenAll(sent);
            await sampler;

            // What was acknowledged is there, and every reach arrived live.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var missing = 0;
            using (var check = Client(site, thumbprint))
                await Parallel.ForEachAsync(tally.Saved, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (saved, _) =>
                {
                    using var response = await Send(check, HttpMethod.Get, $"/api/v1/journal/{saved.Id}", people[saved.Person].Token, null);
                    if (response.StatusCode != HttpStatusCode.OK || !(await response.Content.ReadAsStringAsync(CancellationToken.None)).Contains(saved.Text, StringComparison.Ordinal))
                        Interlocked.Increment(ref missing);
                });
            var reachesNotSeen = tally.Reaches.Count(id => !streams.Seen.ContainsKey(id));
            await stop.CancelAsync();
            await Task.WhenAll(streamTasks);
            foreach (var c in clients) c.Dispose();

            Console.WriteLine("| minute | requests | errors | p50 ms | p99 ms | RSS node A MB | RSS node B MB | sockets A / B | PostgreSQL connections | jobs due / scheduled later | streams open |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var s in samples) Console.WriteLine(s);
            Console.WriteLine();
            var p99 = buckets.Select(m => Percentile(m.Latencies, 0.99)).ToArray();
            var rss = Samples.Select(s => (s.RssA, s.RssB)).ToArray();
            var errors = buckets.Sum(m => m.Errors);
            var kinds = buckets.SelectMany(m => m.ErrorKinds).GroupBy(k => k.Key).Select(g => $"{g.Key} ×{g.Sum(k => k.Value)}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Requests: {tally.Requests} in {clock.Elapsed.TotalMinutes:0.0} min; errors {errors}{(errors > 0 ? " (" + string.Join(", ", kinds) + ")" : "")}; journal entries saved {tally.Saved.Count}, of which missing afterwards {missing}; reaches {tally.Reaches.Count}, not seen live by the supporter {reachesNotSeen}; stream reconnects {streams.Reconnects}."));
            var p99Ratio = p99[^1] / Math.Max(0.001, p99[0]);
            var rssA = rss.Length >= 2 ? rss[^1].RssA / rss[1].RssA : 1;
            var rssB = rss.Length >= 2 ? rss[^1].RssB / rss[1].RssB : 1;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"p99 in the last minute {p99Ratio:0.00}× the first (goal ≤ 2); RSS at the last minute against minute 2: node A {rssA:0.00}×, node B {rssB:0.00}× (goal within ±10 %)."));
            Console.WriteLine($"Nodes: {Tools.DotnetVersion()}, Production, defaults for pools (Npgsql Maximum Pool Size 100 per node; AttuneDb context pool 256). Machine: {Environment.ProcessorCount} cores shared by both nodes, nginx, PostgreSQL and this load.");
            return errors == 0 && missing == 0 && reachesNotSeen == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var p in new[] { nginx, b, a })
                if (p is { HasExited: false }) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
            nginx?.Dispose();
            b?.Dispose();
        }
    }

    private static readonly string MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    // ---------------- the mix ----------------

    private sealed class Tally
    {
        public long Requests;
        public int Errors;
        public readonly ConcurrentBag<(int Person, string Id, string Text)> Saved = [];
        public readonly ConcurrentBag<string> Reaches = [];
    }

    /// <summary>One thing a person does, chosen by <paramref name="n"/>: out of 20, 4 saves, 4 edits, 5 reads, 3 Today pages, 3 journal pages, 1 reach answered by the supporter.</summary>
    private static async Task OneAsync(HttpClient http, Person[] people, string[] supporters, long n, Tally tally, Minute? minute)
    {
        var i = (int)(n % people.Length);
        var person = people[i];
        var slot = (int)(n / people.Length % 20);
        var what = slot switch { < 4 => "save", < 8 => "edit", < 13 => "read", < 16 => "Today", < 19 => "journal page", _ => "reach" };
        Interlocked.Increment(ref tally.Requests);
        try
        {
            switch (what)
            {
                case "save":
                    var text = $"soak {i} entry {n}: the evening was hard and then it eased";
                    var id = JsonDocument.Parse(await Ok(await Send(http, HttpMethod.Post, "/api/v1/journal", person.Token, new { kind = "free", text }))).RootElement.GetProperty("id").GetString()!;
                    tally.Saved.Add((i, id, text));
                    return;
                case "edit":
                    await Ok(await Send(http, HttpMethod.Put, $"/api/v1/journal/{person.Entry}", person.Token, new { text = $"soak {i} first entry, edit {n}" }));
                    return;
                case "read":
                    await Ok(await Send(http, HttpMethod.Get, $"/api/v1/journal/{person.Entry}", person.Token, null));
                    return;
                case "Today":
                case "journal page":
                    using (var page = new HttpRequestMessage(HttpMethod.Get, what == "Today" ? "/" : "/journal"))
                    {
                        page.Headers.Add("Cookie", person.Cookie);
                        var html = await Ok(await http.SendAsync(page));
                        if (!html.Contains("Sign out", StringComparison.Ordinal)) throw new InvalidOperationException("signed out");
                    }
                    return;
                default:
                    var reach = JsonDocument.Parse(await Ok(await Send(http, HttpMethod.Post, "/api/v1/reaches", person.Token, new { urgency = "now" }))).RootElement.GetProperty("id").GetString()!;
                    tally.Reaches.Add(reach);
                    Interlocked.Increment(ref tally.Requests);
                    await Ok(await Send(http, HttpMethod.Post, $"/api/v1/reaches/{reach}/responses", supporters[i], new { kind = "here" }));
                    return;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or JsonException)
        {
            Interlocked.Increment(ref tally.Errors);
            if (minute is null) return;
            Interlocked.Increment(ref minute.Errors);
            minute.ErrorKinds.AddOrUpdate($"{what}: {Short(e)}", 1, (_, c) => c + 1);
        }
    }

    private static string Short(Exception e) => e is HttpRequestException { StatusCode: { } code } ? ((int)code).ToString(CultureInfo.InvariantCulture) : e.GetType().Name;

    private static HttpRequestMessage Request(HttpMethod method, string path, string token, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string token, object? body)
    {
        using var request = Request(method, path, token, body);
        return await http.SendAsync(request);
    }

    private static async Task<string> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new HttpRequestException(body.Length > 200 ? body[..200] : body, null, response.StatusCode);
            return body;
        }
    }

    // ---------------- every minute ----------------

    private sealed record Sample(double RssA, double RssB);

    private static readonly List<Sample> Samples = [];

    private static async Task<string> SampleAsync(string postgres, Process a, Process b, Minute minute, int m, Streams streams, Tally tally)
    {
        var (rssA, rssB) = (Rss(a.Id), Rss(b.Id));
        Samples.Add(new Sample(rssA, rssB));
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(postgres) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()", connection);
        var pgConnections = (long)(await count.ExecuteScalarAsync())! - 1; // not this one
        // Due and not done is a backlog; not yet due is scheduled work (a reach's escalation waits its minutes).
        await using var jobs = new NpgsqlCommand("SELECT count(*) FILTER (WHERE \"DueAt\" <= now()), count(*) FILTER (WHERE \"DueAt\" > now()) FROM \"Jobs\" WHERE \"DoneAt\" IS NULL", connection);
        await using var read = await jobs.ExecuteReaderAsync();
        await read.ReadAsync();
        var (due, later) = (read.GetInt64(0), read.GetInt64(1));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {m} | {minute.Latencies.Count} | {minute.Errors} | {Percentile(minute.Latencies, 0.5):0.0} | {Percentile(minute.Latencies, 0.99):0.0} | {rssA:0} | {rssB:0} | {Sockets(a.Id)} / {Sockets(b.Id)} | {pgConnections} | {due} / {later} | {streams.Open} |");
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
    }

    private static double Rss(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;

    private static int Sockets(int pid) =>
        Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count(fd =>
        {
            try { return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true; }
            catch (IOException) { return false; }
        });

    // ---------------- live streams ----------------

    private sealed partial class Streams
    {
        public int Open;
        public int Reconnects;
        public readonly ConcurrentDictionary<string, bool> Seen = new();

        public async Task WaitOpenAsync(int count)
        {
            for (var i = 0; i < 200 && Volatile.Read(ref Open) < count; i++) await Task.Delay(50);
            if (Open < count) throw new TimeoutException($"Only {Open} of {count} live streams opened.");
        }

        /// <summary>Holds a supporter's stream open; if it closes, opens it again from the last event id (as the browser does).</summary>
        public async Task HoldAsync(string site, string thumbprint, string token, CancellationToken stop)
        {
            using var http = Client(site, thumbprint, Timeout.InfiniteTimeSpan);
            string? last = null;
            var first = true;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var request = Request(HttpMethod.Get, "/api/v1/events", token, null);
                    if (last is not null) request.Headers.Add("Last-Event-ID", last);
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                    response.EnsureSuccessStatusCode();
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
                    if (!first) Interlocked.Increment(ref Reconnects);
                    first = false;
                    Interlocked.Increment(ref Open);
                    try
                    {
                        string? type = null;
                        while (await reader.ReadLineAsync(stop) is { } line)
                        {
                            if (line.Length == 0) type = null;
                            else if (line.StartsWith("id: ", StringComparison.Ordinal)) last = line[4..];
                            else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "reach.received" && ReachId().Match(line) is { Success: true } id)
                                Seen[id.Groups[1].Value] = true;
                        }
                    }
                    finally { Interlocked.Decrement(ref Open); }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
                catch (Exception e) when (e is HttpRequestException or IOException) { await Task.Delay(500, CancellationToken.None); }
            }
        }

        [GeneratedRegex("\"(?:reachId|id)\":\"([0-9a-f-]{36})\"")]
        private static partial Regex ReachId();
    }

    // ---------------- people ----------------

    private static async Task<string> TokenAsync(HttpClient http, string email)
    {
        using var login = await http.PostAsync("/api/auth/login", BenchHttp.JsonContent(new { email, password = Password }));
        return JsonDocument.Parse(await Ok(login)).RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task JoinAsync(HttpClient http, string mail, string ownerToken, string supporterToken, string supporterEmail)
    {
        await Ok(await Send(http, HttpMethod.Post, "/api/v1/circle/invitations", ownerToken, new { email = supporterEmail, name = "Friend", canReceiveReaches = true, canSeeShared = false }));
        string? link = null;
        for (var i = 0; i < 600 && link is null; i++)
        {
            link = Directory.GetFiles(mail, "*.eml").Select(f => { using var m = MimeKit.MimeMessage.Load(f); return (To: m.To.Mailboxes.FirstOrDefault()?.Address, m.Subject, Body: m.TextBody); })
                .Where(m => string.Equals(m.To, supporterEmail, StringComparison.OrdinalIgnoreCase) && (m.Subject ?? "").Contains("invited", StringComparison.Ordinal))
                .Select(m => Regex.Match(m.Body ?? "", @"https?://\S+").Value).FirstOrDefault();
            if (link is null) await Task.Delay(50);
        }
        if (link is null) throw new TimeoutException("No invitation email for " + supporterEmail);
        await Ok(await Send(http, HttpMethod.Post, $"/api/v1/circle/invitations/{link.Split('/')[^1]}/accept", supporterToken, null));
    }

    // ---------------- nginx ----------------

    private static HttpClient Client(string site, string thumbprint, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(30) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == thumbprint;
        return new HttpClient(handler) { BaseAddress = new Uri(site), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    private static async Task WaitAsync(HttpClient http)
    {
        for (var i = 0; i < 100; i++)
        {
            try { if ((await http.GetAsync("/health")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("nginx did not answer /health");
    }

    /// <summary>deploy/nginx-attune.conf with the two nodes as its upstream, a throwaway certificate and one loopback port (as ClusterTests runs it).</summary>
    private static async Task<string> WriteNginxAsync(string repo, string dir, int port, string nodeA, string nodeB)
    {
        string thumbprint;
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            thumbprint = cert.GetCertHashString();
            await File.WriteAllTextAsync(Path.Combine(dir, "fullchain.pem"), cert.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(dir, "privkey.pem"), key.ExportPkcs8PrivateKeyPem());
        }
        var conf = await File.ReadAllTextAsync(Path.Combine(repo, "deploy", "nginx-attune.conf"));
        conf = conf.Replace("    server 127.0.0.1:8080;\n", $"    server {nodeA};\n    server {nodeB};\n", StringComparison.Ordinal)
            .Replace("    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n", $"    listen 127.0.0.1:{port} ssl http2;\n", StringComparison.Ordinal)
            .Replace("/etc/letsencrypt/live/attune.example.org/", dir + "/", StringComparison.Ordinal)
            .Replace("/var/log/nginx/attune.access.log", dir + "/attune.access.log", StringComparison.Ordinal);
        conf = HttpServerBlock().Replace(conf, "");
        if (!conf.Contains($"server {nodeB};", StringComparison.Ordinal) || !conf.Contains($"127.0.0.1:{port} ssl", StringComparison.Ordinal))
            throw new InvalidOperationException("deploy/nginx-attune.conf changed shape; update SoakBench.WriteNginxAsync.");
        await File.WriteAllTextAsync(Path.Combine(dir, "attune.conf"), conf);
        var user = Environment.UserName == "root" ? "user root;" : "";
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { worker_connections 2048; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                include {{dir}}/attune.conf;
            }
            """);
        return thumbprint;
    }

    private static Process StartNginx(string dir)
    {
        var start = new ProcessStartInfo("/usr/sbin/nginx") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", Path.Combine(dir, "nginx.conf") }) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [GeneratedRegex(@"server \{\n    listen 80;.*?\n\}\n", RegexOptions.Singleline)]
    private static partial Regex HttpServerBlock();
}

internal static class Tools
{
    public static string DotnetVersion() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
