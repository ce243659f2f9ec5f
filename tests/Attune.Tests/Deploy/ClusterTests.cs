using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attune.Tests.Support;
using Xunit.Abstractions;

namespace Attune.Tests.Deploy;

/// <summary>
/// Attune as an operator scales it out (docs/operations.md, "Several nodes"): two separate
/// processes on one PostgreSQL database with the same master key, behind a real nginx running
/// deploy/'s site (TLS with a throwaway certificate, round robin over both nodes). Through nginx
/// people register, confirm from the emailed link and sign in; then: a cookie and a token either
/// node issued work on both; a reach sent on node A arrives live on a stream open on node B (and
/// on one through nginx) within a second, and so does a group room's turn, to members listening on
/// node A, node B and through nginx, in version order; a session ended on A stops working on B, and its stream
/// there closes, well before B's 30 s cache of it would let it lapse; and node A killed with
/// SIGKILL under a mixed load loses no acknowledged write and fails no idempotent request: nginx
/// sends them to B.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // nginx and SIGKILL, as on the servers the guide is for
public sealed partial class ClusterTests(ITestOutputHelper output)
{
    private const int Clients = 4;

    [PostgresFact("nginx", OnlyInPostgresRun = true)]
    public async Task TwoNodesBehindNginx_ShareSignIns_LiveEvents_AndEndedSessions_AndLoseNothingWhenOneIsKilled()
    {
        var database = await TestDatabase.CreatePostgresDatabaseAsync();
        var dir = Directory.CreateTempSubdirectory("attune-cluster").FullName;
        var dataA = Directory.CreateTempSubdirectory("attune-node-a").FullName;
        var dataB = Directory.CreateTempSubdirectory("attune-node-b").FullName;
        var port = ServerProcess.FreePort();
        var site = $"https://127.0.0.1:{port}";
        // What /etc/attune/attune.env gives every node: the same database, the same master key.
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = database,
            ["Attune__MasterKey"] = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Attune__PublicBaseUrl"] = site,
            ["Attune__WarmUp"] = "false", // two nodes warming up at once only slow a shared CI machine
        };
        ServerProcess? a = null, b = null;
        Process? nginx = null;
        var passed = false;
        try
        {
            // One node first, then the other (the guide's order: the first applies the migrations and makes the key ring).
            var started = Stopwatch.StartNew();
            a = await ServerProcess.StartAsync(dataA, env);
            b = await ServerProcess.StartAsync(dataB, env);
            output.WriteLine($"Both nodes healthy after {started.Elapsed.TotalSeconds:F1} s (load {Load()}).");
            var upstreamA = new Uri(a.BaseUrl).Authority;
            var upstreamB = new Uri(b.BaseUrl).Authority;
            var thumbprint = await WriteNginxConfigAsync(dir, port, upstreamA, upstreamB);
            nginx = await StartNginxAsync(dir, site, thumbprint);
            var cookies = new CookieContainer();
            HttpClient Proxy(string? token = null, bool withCookies = false, TimeSpan? timeout = null) =>
                Client(site, token, thumbprint, withCookies ? cookies : null, timeout);

            var owner = await RegisterAsync(Proxy, [dataA, dataB], "Robin Cluster");
            var supporter = await RegisterAsync(Proxy, [dataA, dataB], "Sam Cluster");
            await JoinCircleAsync(Proxy, [dataA, dataB], owner, supporter);

            // (1) One key ring: a token and a cookie, whichever node made them, open both nodes.
            // The cookie's sign-in form and its post go through nginx too, so the antiforgery
            // token is likely made on one node and checked on the other.
            using (var pages = new PagesClient(Proxy(withCookies: true)))
            {
                var signedIn = await pages.PostFormAsync("/account/sign-in", new() { ["Input.Email"] = owner.Email, ["Input.Password"] = AttuneApp.DefaultPassword });
                Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            }
            var cookie = cookies.GetCookies(new Uri(site))["__Host-attune"]?.Value;
            Assert.False(string.IsNullOrEmpty(cookie), "Signing in through nginx set no __Host-attune cookie.");
            foreach (var node in new[] { a, b })
            {
                using var direct = Client(node.BaseUrl, owner.Token);
                Assert.Equal(owner.Id, JsonDocument.Parse(await Expect.StatusAsync(await direct.GetAsync("/api/v1/me"), HttpStatusCode.OK)).RootElement.GetProperty("id").GetString());
                using var page = new HttpRequestMessage(HttpMethod.Get, "/journal");
                page.Headers.Add("Cookie", "__Host-attune=" + cookie);
                page.Headers.Add("X-Forwarded-Proto", "https"); // as nginx says: pages (their antiforgery tokens) are HTTPS-only
                await Expect.StatusAsync(await direct.SendAsync(page), HttpStatusCode.OK);
            }

            // (2) A reach sent on node A, live on node B and through nginx.
            using var supporterOnB = Client(b.BaseUrl, supporter.Token, timeout: Timeout.InfiniteTimeSpan);
            using var supporterThroughNginx = Proxy(supporter.Token, timeout: Timeout.InfiniteTimeSpan);
            await using (var streamB = await LiveEvents.OpenOnAsync(supporterOnB))
            await using (var streamProxied = await LiveEvents.OpenOnAsync(supporterThroughNginx))
            {
                using var ownerOnA = Client(a.BaseUrl, owner.Token);
                var clock = Stopwatch.StartNew();
                var arrivedOnB = ArrivalAsync(streamB, clock);
                var arrivedThroughNginx = ArrivalAsync(streamProxied, clock);
                var reach = await ownerOnA.PostAsJsonAsync("/api/v1/reaches", new { message = "Cluster canary: a hard evening", urgency = "now" });
                var answered = clock.Elapsed;
                var id = JsonDocument.Parse(await Expect.StatusAsync(reach, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString();
                var (idOnB, onB) = await arrivedOnB;
                var (idThroughNginx, throughNginx) = await arrivedThroughNginx;
                Assert.Equal(id, idOnB);
                Assert.Equal(id, idThroughNginx);
                output.WriteLine($"Reach: answered by node A after {answered.TotalMilliseconds:F0} ms; live on node B at {onB.TotalMilliseconds:F0} ms, through nginx at {throughNginx.TotalMilliseconds:F0} ms (load {Load()}).");
                Assert.True(onB - answered < TimeSpan.FromSeconds(1), $"On node B {(onB - answered).TotalMilliseconds:F0} ms after node A answered.");
                Assert.True(throughNginx - answered < TimeSpan.FromSeconds(1), $"Through nginx {(throughNginx - answered).TotalMilliseconds:F0} ms after node A answered.");
            }

            // (2b) A group room: the talking piece's holder shares on node A; members listening on node A,
            // on node B and through nginx each get that turn within a second, after every earlier event,
            // in version order and once.
            await RoomTurnAcrossNodesAsync(Proxy, [dataA, dataB], a, b, owner, supporter);

            // (3) A session ended on node A stops working on node B. B has just checked it (and keeps
            // that answer for 30 s), so only the word from A through PostgreSQL can stop it sooner.
            var second = await SignInAsync(Proxy, owner.Email);
            using (var secondOnA = Client(a.BaseUrl, second))
            using (var secondOnB = Client(b.BaseUrl, second))
            using (var streamClient = Client(b.BaseUrl, second, timeout: Timeout.InfiniteTimeSpan))
            {
                await Expect.StatusAsync(await secondOnB.GetAsync("/api/v1/me"), HttpStatusCode.OK);
                await using var stream = await LiveEvents.OpenOnAsync(streamClient);
                var sessions = JsonDocument.Parse(await Expect.StatusAsync(await secondOnA.GetAsync("/api/v1/me/sessions"), HttpStatusCode.OK)).RootElement;
                var sessionId = sessions.GetProperty("items").EnumerateArray().Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();
                await Expect.StatusAsync(await secondOnA.DeleteAsync($"/api/v1/me/sessions/{sessionId}"), HttpStatusCode.NoContent);
                var clock = Stopwatch.StartNew();
                await Expect.StatusAsync(await secondOnA.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
                while ((await secondOnB.GetAsync("/api/v1/me")).StatusCode == HttpStatusCode.OK)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "Node B still accepts a session node A ended 5 s ago.");
                    await Task.Delay(20);
                }
                var refused = clock.Elapsed;
                await stream.Ended.WaitAsync(TimeSpan.FromSeconds(5));
                output.WriteLine($"Ended session: refused on node B after {refused.TotalMilliseconds:F0} ms, its stream there closed after {clock.Elapsed.TotalMilliseconds:F0} ms (load {Load()}).");
                // The other session goes on.
                using var ownerOnB = Client(b.BaseUrl, owner.Token);
                await Expect.StatusAsync(await ownerOnB.GetAsync("/api/v1/me"), HttpStatusCode.OK);
            }

            // (4) Node A dies under load; nginx sends what it can to node B and nothing acknowledged is lost.
            await KillUnderLoadAsync(Proxy, cookie!, [owner.Token, supporter.Token], a, dir, upstreamA, upstreamB);
            passed = true;
        }
        finally
        {
            foreach (var (name, node) in passed ? [] : new[] { ("A", a), ("B", b) })
                foreach (var line in node?.Output.TakeLast(20) ?? []) output.WriteLine($"node {name}: {line}");
            if (nginx is not null)
            {
                if (!nginx.HasExited) nginx.Kill(entireProcessTree: true); // the master and its worker
                await nginx.WaitForExitAsync();
                nginx.Dispose();
            }
            if (a is not null) await a.DisposeAsync();
            if (b is not null) await b.DisposeAsync();
            await TestDatabase.DropPostgresDatabaseAsync(database);
            foreach (var d in new[] { dir, dataA, dataB })
                try { Directory.Delete(d, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Account(string Id, string Email, string Token);

    private sealed class LoadTally
    {
        public readonly ConcurrentBag<(int Client, string Id, string Text)> Created = [];
        public int PostsFailed;
        public readonly ConcurrentQueue<string> IdempotentFailures = new();
        public int Requests;
    }

    private async Task KillUnderLoadAsync(Func<string?, bool, TimeSpan?, HttpClient> proxy, string cookie, string[] tokens, ServerProcess a, string dir, string upstreamA, string upstreamB)
    {
        var load = new LoadTally();
        var entries = new string[Clients];
        for (var c = 0; c < Clients; c++)
        {
            using var http = proxy(tokens[c % tokens.Length], false, null);
            var made = await http.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = $"client {c} put 0" });
            entries[c] = JsonDocument.Parse(await Expect.StatusAsync(made, HttpStatusCode.Created)).RootElement.GetProperty("id").GetString()!;
        }
        var putAcked = new int[Clients];
        var putInFlight = new int[Clients];
        var killedAt = TimeSpan.MaxValue;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var api = proxy(tokens[c % tokens.Length], false, null);
            using var pages = proxy(null, false, null);
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var kind = n % 4;
                var what = kind switch { 0 => "POST /api/v1/journal", 1 => "PUT /api/v1/journal/{id}", 2 => "GET /api/v1/journal/{id}", _ => "GET /journal" };
                var text = $"client {c} write {n}";
                if (kind == 1) putInFlight[c] = n;
                HttpResponseMessage? response = null;
                string? error = null;
                try
                {
                    response = kind switch
                    {
                        0 => await api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text }),
                        1 => await api.PutAsJsonAsync($"/api/v1/journal/{entries[c]}", new { text = $"client {c} put {n}" }),
                        2 => await api.GetAsync($"/api/v1/journal/{entries[c]}"),
                        _ => await pages.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/journal") { Headers = { { "Cookie", "__Host-attune=" + cookie } } }),
                    };
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { error = e.GetType().Name; }
                Interlocked.Increment(ref load.Requests);
                if (response is { IsSuccessStatusCode: true })
                {
                    if (kind == 0) load.Created.Add((c, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!, text));
                    if (kind == 1) putAcked[c] = n;
                }
                else if (kind == 0) Interlocked.Increment(ref load.PostsFailed);
                else load.IdempotentFailures.Enqueue($"{what} at {clock.Elapsed.TotalMilliseconds:F0} ms (node A killed at {killedAt.TotalMilliseconds:F0} ms): {error ?? ((int)response!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                response?.Dispose();
            }
        })).ToArray();

        // The kill comes once every client has been answered a few times (the first requests on a
        // cold node are slow), and a second more of steady load.
        while (load.Requests < Clients * 8 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var before = load.Requests;
        killedAt = clock.Elapsed;
        await a.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var after = load.Requests - before;

        // Every acknowledged write is there, read back through nginx (node B alone now).
        using var check = proxy(null, false, null);
        var byToken = tokens.Select(t => proxy(t, false, null)).ToArray();
        try
        {
            foreach (var (c, id, text) in load.Created)
            {
                var entry = JsonDocument.Parse(await Expect.StatusAsync(await byToken[c % tokens.Length].GetAsync($"/api/v1/journal/{id}"), HttpStatusCode.OK)).RootElement;
                Assert.Equal(text, entry.GetProperty("text").GetString());
            }
            for (var c = 0; c < Clients; c++)
            {
                var entry = JsonDocument.Parse(await Expect.StatusAsync(await byToken[c % tokens.Length].GetAsync($"/api/v1/journal/{entries[c]}"), HttpStatusCode.OK)).RootElement;
                var stored = int.Parse(entry.GetProperty("text").GetString()!.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(stored == putAcked[c] || stored == putInFlight[c], $"Client {c}: the entry holds put {stored}; last acknowledged {putAcked[c]}, in flight {putInFlight[c]}.");
            }
        }
        finally
        {
            foreach (var h in byToken) h.Dispose();
        }

        // nginx's own record of where each request went: both nodes served before the kill, and
        // the requests node A could not take went on to node B.
        var log = await File.ReadAllLinesAsync(Path.Combine(dir, "upstream.log"));
        var servedByA = log.Count(l => l.EndsWith(" " + upstreamA, StringComparison.Ordinal));
        var servedByB = log.Count(l => l.EndsWith(" " + upstreamB, StringComparison.Ordinal));
        var failedOver = log.Where(l => l.Contains(upstreamA + ", " + upstreamB, StringComparison.Ordinal)).ToList();
        output.WriteLine($"Load: {Clients} clients, {before} requests in {killedAt.TotalSeconds:F1} s before the kill, {after} in 2.5 s after; {load.Created.Count} entries made; " +
            $"nginx: {servedByA} answered by node A alone, {servedByB} by node B alone, {failedOver.Count} passed from A to B; " +
            $"{load.PostsFailed} POSTs answered with an error (in flight on A), {load.IdempotentFailures.Count} idempotent requests failed (load {Load()}).");
        foreach (var l in failedOver) output.WriteLine("  failed over: " + l);
        Assert.True(servedByA > 0 && servedByB > 0, $"Round robin did not use both nodes: A {servedByA}, B {servedByB}.");
        Assert.True(after > Clients * 4, $"Too few requests after the kill to mean much: {after}.");
        Assert.Empty(load.IdempotentFailures);
        Assert.True(load.PostsFailed <= Clients, $"{load.PostsFailed} POSTs failed; at most one per client can have been in flight on node A when it died.");
        await Expect.StatusAsync(await check.GetAsync("/health"), HttpStatusCode.OK);
    }

    private async Task RoomTurnAcrossNodesAsync(Func<string?, bool, TimeSpan?, HttpClient> proxy, string[] mailFolders, ServerProcess a, ServerProcess b, Account owner, Account supporter)
    {
        var third = await RegisterAsync(proxy, mailFolders, "Kit Cluster");
        using var ownerOnA = Client(a.BaseUrl, owner.Token);
        using var samOnA = Client(a.BaseUrl, supporter.Token);
        using var kitOnB = Client(b.BaseUrl, third.Token);
        var facilitator = AsPerson(owner, ownerOnA);
        var sam = AsPerson(supporter, samOnA);
        var kit = AsPerson(third, kitOnB);
        var group = await Support.Groups.CreateGroupAsync(facilitator);
        var invitation = await Support.Groups.InvitationTokenAsync(facilitator, group.Id);
        var samId = await Support.Groups.JoinByLinkAsync(sam, group.Id, invitation, "Sam");
        var kitId = await Support.Groups.JoinByLinkAsync(kit, group.Id, invitation, "Kit");

        using var facilitatorListensOnA = Client(a.BaseUrl, owner.Token, timeout: Timeout.InfiniteTimeSpan);
        using var kitListensOnB = Client(b.BaseUrl, third.Token, timeout: Timeout.InfiniteTimeSpan);
        using var samListensThroughNginx = proxy(supporter.Token, false, Timeout.InfiniteTimeSpan);
        await using var onA = await LiveEvents.OpenOnAsync(facilitatorListensOnA);
        await using var onB = await LiveEvents.OpenOnAsync(kitListensOnB);
        await using var throughNginx = await LiveEvents.OpenOnAsync(samListensThroughNginx);

        var meeting = group.FirstMeeting;
        var v = await Support.Groups.OpenRoomAsync(facilitator, group.Id, meeting);
        v = await Support.Groups.NextVersionAsync(sam, group.Id, meeting, "checkIn", v, new { suds = 3, word = "here" });
        v = await Support.Groups.NextVersionAsync(kit, group.Id, meeting, "checkIn", v, new { pass = true });
        v = await Support.Groups.NextVersionAsync(facilitator, group.Id, meeting, "startRound", v, new { promptId = "p1-felt-age", order = new[] { samId, kitId } });

        var clock = Stopwatch.StartNew();
        var turn = v + 1;
        var arrivals = new[] { onA, onB, throughNginx }.Select(stream => RoomArrivalAsync(stream, turn, clock)).ToArray();
        var posted = await Support.Groups.NextVersionAsync(sam, group.Id, meeting, "post", v, new { text = "About seven, I think. Small and watchful." });
        var answered = clock.Elapsed;
        Assert.Equal(turn, posted);
        var at = await Task.WhenAll(arrivals);
        output.WriteLine($"Room turn: answered by node A after {answered.TotalMilliseconds:F0} ms; live on node A at {at[0].TotalMilliseconds:F0} ms, on node B at {at[1].TotalMilliseconds:F0} ms, through nginx at {at[2].TotalMilliseconds:F0} ms (load {Load()}).");
        foreach (var (where, arrived) in new[] { ("node A", at[0]), ("node B", at[1]), ("nginx", at[2]) })
            Assert.True(arrived - answered < TimeSpan.FromSeconds(1), $"The turn reached the member on {where} {(arrived - answered).TotalMilliseconds:F0} ms after node A answered.");
        await Task.Delay(300);
        foreach (var stream in new[] { onA, onB, throughNginx })
            Assert.False(stream.Frames.Reader.TryRead(out var again) && again.Type == "group.room", $"A room frame arrived after the turn, or twice: {again.Data}");
    }

    private static Person AsPerson(Account account, HttpClient api) => new(account.Id, account.Email, AttuneApp.DefaultPassword, api, account.Token, "");

    /// <summary>Reads the stream's room frames, each version once and in order from the first, until <paramref name="version"/>; when it came.</summary>
    private static async Task<TimeSpan> RoomArrivalAsync(LiveEvents stream, long version, Stopwatch clock)
    {
        for (var expected = 1L; ;)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var (type, data) = await stream.Frames.Reader.ReadAsync(timeout.Token);
            if (type != "group.room") continue;
            Assert.Equal(expected++, data.GetProperty("version").GetInt64());
            if (expected > version) return clock.Elapsed;
        }
    }

    private static async Task<(string Id, TimeSpan At)> ArrivalAsync(LiveEvents stream, Stopwatch clock)
    {
        var (_, id) = await stream.NextAsync("reach.received");
        return (id, clock.Elapsed);
    }

    /// <summary>deploy/nginx-attune.conf itself, with the two nodes as its upstream, a throwaway certificate, one loopback port and its logs in <paramref name="dir"/>.</summary>
    private static async Task<string> WriteNginxConfigAsync(string dir, int port, string nodeA, string nodeB)
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
        var site = await File.ReadAllTextAsync(Tools.RepoPath("deploy", "nginx-attune.conf"));
        site = Swap(site, "    server 127.0.0.1:8080;\n", $"    server {nodeA};\n    server {nodeB};\n");
        site = Swap(site, "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n", $"    listen 127.0.0.1:{port} ssl http2;\n");
        site = Swap(site, "/etc/letsencrypt/live/attune.example.org/", dir + "/");
        site = Swap(site, "access_log /var/log/nginx/attune.access.log attune_private;",
            $"access_log {dir}/attune.access.log attune_private;\n    access_log {dir}/upstream.log upstreams;");
        var redirect = HttpServerBlock().Match(site); // the port-80 redirect: not needed on loopback
        Assert.True(redirect.Success, "deploy/nginx-attune.conf has no port-80 server block to leave out.");
        site = site.Remove(redirect.Index, redirect.Length);
        await File.WriteAllTextAsync(Path.Combine(dir, "attune.conf"), site);
        // Run by root (as in CI), nginx's workers would be "nobody", who cannot write in this 0700 folder.
        var user = Environment.UserName == "root" ? "user root;" : "";
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { worker_connections 512; }
            http {
                access_log {{dir}}/access.log;
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                log_format upstreams '$request_method $uri $status $upstream_status $upstream_addr';
                include {{dir}}/attune.conf;
            }
            """);
        return thumbprint;
    }

    private static async Task<Process> StartNginxAsync(string dir, string site, string thumbprint)
    {
        var start = new ProcessStartInfo(Tools.Find("nginx")!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", Path.Combine(dir, "nginx.conf") }) start.ArgumentList.Add(arg);
        var nginx = Process.Start(start)!;
        using var http = Client(site, null, thumbprint, timeout: TimeSpan.FromSeconds(2));
        for (var i = 0; i < 100; i++)
        {
            if (nginx.HasExited)
                throw new InvalidOperationException($"nginx exited with {nginx.ExitCode}: {await File.ReadAllTextAsync(Path.Combine(dir, "error.log"))}");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return nginx;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        nginx.Kill(entireProcessTree: true);
        throw new TimeoutException("nginx did not answer /health within 10 s: " + await File.ReadAllTextAsync(Path.Combine(dir, "error.log")));
    }

    private static HttpClient Client(string baseUrl, string? token = null, string? thumbprint = null, CookieContainer? cookies = null, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() };
        // The throwaway certificate is trusted by its thumbprint, and nothing else is.
        if (thumbprint is not null) handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == thumbprint;
        var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = timeout ?? TimeSpan.FromSeconds(15) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<Account> RegisterAsync(Func<string?, bool, TimeSpan?, HttpClient> proxy, string[] mailFolders, string name)
    {
        var email = AttuneApp.NewEmail("cluster");
        using var anon = proxy(null, false, null);
        await Expect.StatusAsync(await anon.PostAsJsonAsync("/api/auth/register", new { email, password = AttuneApp.DefaultPassword }), HttpStatusCode.OK);
        var link = new Uri(Mail.LinkIn(await MailAsync(mailFolders, email, "Confirm")));
        Assert.Contains("Your email is confirmed", await Expect.StatusAsync(await anon.GetAsync(link.PathAndQuery), HttpStatusCode.OK), StringComparison.Ordinal);
        var token = await SignInAsync(proxy, email);
        using var api = proxy(token, false, null);
        await Expect.StatusAsync(await api.PatchAsJsonAsync("/api/v1/me", new { displayName = name }), HttpStatusCode.OK);
        var id = JsonDocument.Parse(await Expect.StatusAsync(await api.GetAsync("/api/v1/me"), HttpStatusCode.OK)).RootElement.GetProperty("id").GetString()!;
        return new Account(id, email, token);
    }

    private static async Task<string> SignInAsync(Func<string?, bool, TimeSpan?, HttpClient> proxy, string email)
    {
        using var anon = proxy(null, false, null);
        var login = await anon.PostAsJsonAsync("/api/auth/login", new { email, password = AttuneApp.DefaultPassword });
        return JsonDocument.Parse(await Expect.StatusAsync(login, HttpStatusCode.OK)).RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task JoinCircleAsync(Func<string?, bool, TimeSpan?, HttpClient> proxy, string[] mailFolders, Account owner, Account supporter)
    {
        using var ownerApi = proxy(owner.Token, false, null);
        using var supporterApi = proxy(supporter.Token, false, null);
        await Expect.StatusAsync(await ownerApi.PostAsJsonAsync("/api/v1/circle/invitations", new { email = supporter.Email, name = "Sam", canSeeShared = true }), HttpStatusCode.Created);
        var token = Mail.LinkIn(await MailAsync(mailFolders, supporter.Email, "invited")).Split('/')[^1];
        await Expect.StatusAsync(await supporterApi.PostAsync($"/api/v1/circle/invitations/{token}/accept", null), HttpStatusCode.OK);
    }

    /// <summary>The email, from whichever node sent it (each writes to its own pickup folder).</summary>
    private static async Task<Mail.Message> MailAsync(string[] dataFolders, string to, string subjectContains)
    {
        for (var i = 0; i < 150; i++)
        {
            var match = dataFolders.SelectMany(d => Mail.All(Path.Combine(d, "mail")))
                .LastOrDefault(m => m.To.Equals(to, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(subjectContains, StringComparison.Ordinal));
            if (match is not null) return match;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No email to {to} with '{subjectContains}' from either node.");
    }

    private static string Swap(string text, string from, string to)
    {
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"deploy/nginx-attune.conf no longer has \"{from.Trim()}\"; update {nameof(ClusterTests)}.");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    [GeneratedRegex(@"server \{\n    listen 80;.*?\n\}\n", RegexOptions.Singleline)]
    private static partial Regex HttpServerBlock();
}
