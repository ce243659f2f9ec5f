// What the page benchmark reads about the server process: its CPU time, allocations, queries and memory.
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Attune.Bench;

internal static partial class PagesBench
{
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
}
