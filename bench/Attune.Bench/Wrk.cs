using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Attune.Bench;

/// <summary>
/// Runs wrk (Debian package "wrk") as a separate process against 127.0.0.1 with a Lua script that
/// POSTs one body, and reads its throughput, latency percentiles and non-2xx count.
/// </summary>
internal static partial class Wrk
{
    /// <summary>How long each endpoint is driven before it is measured (--warm-up, default 15 s: long enough that the hot paths are compiled at full optimization, as in a server that has been up for a while).</summary>
    public static int WarmUpSeconds { get; set; } = 15;

    /// <summary>The server's garbage collections during the last measured run (the app runs in this process).</summary>
    public static GcTotals LastGc { get; private set; }

    /// <summary>
    /// The share of CPU time the machine's host took from this virtual machine during the last
    /// measured run (/proc/stat "steal"): on a shared host it varies from run to run, and the p99
    /// with it.
    /// </summary>
    public static double LastSteal { get; private set; }

    private static long[] CpuTimes() =>
        File.Exists("/proc/stat")
            ? File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : [];

    private static double Steal(long[] before, long[] after)
    {
        if (before.Length < 8 || after.Length < 8) return 0;
        var total = after.Take(8).Sum() - before.Take(8).Sum(); // user … steal; guest time is already in user
        return total == 0 ? 0 : (double)(after[7] - before[7]) / total;
    }

    public static bool Available => File.Exists("/usr/bin/wrk") && Environment.GetEnvironmentVariable("ATTUNE_BENCH_NO_WRK") is null;

    public static async Task<Result> PostAsync(string url, string token, string contentType, byte[] body, int seconds, int connections)
    {
        var dir = Directory.CreateTempSubdirectory("attune-wrk").FullName;
        var bodyFile = Path.Combine(dir, "body");
        await File.WriteAllBytesAsync(bodyFile, body);
        var script = Path.Combine(dir, "post.lua");
        await File.WriteAllTextAsync(script, $$"""
            local f = io.open("{{bodyFile}}", "rb")
            wrk.method = "POST"
            wrk.body = f:read("*all")
            f:close()
            wrk.headers["Content-Type"] = "{{contentType}}"
            wrk.headers["Authorization"] = "Bearer {{token}}"
            """);
        await RunAsync($"-t2 -c{connections} -d{WarmUpSeconds}s -s {script} {url}"); // warm-up
        var (gc, cpu) = (GcTotals.Now(), CpuTimes());
        var output = await RunAsync($"-t2 -c{connections} -d{seconds}s --latency -s {script} {url}");
        (LastGc, LastSteal) = (GcTotals.Now() - gc, Steal(cpu, CpuTimes()));
        Directory.Delete(dir, recursive: true);
        double Ms(string label)
        {
            var m = Regex.Match(output, $@"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } e ? int.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output) is { Success: true } s ? s.Groups.Values.Skip(1).Sum(g => int.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new Result(rps, Ms("50"), Ms("99"), errors + socket);
    }

    /// <summary>One wrk run's figures: throughput, latency percentiles (ms), failed requests (non-2xx/3xx and socket errors) and requests completed.</summary>
    public sealed record Run(double PerSecond, double P50, double P99, int Errors, long Requests);

    /// <summary>GETs <paramref name="url"/> with the given headers for <paramref name="seconds"/> (no warm-up of its own).</summary>
    public static async Task<Run> GetAsync(string url, IEnumerable<string> headers, int seconds, int connections, bool latency = false)
    {
        var args = new List<string> { "-t2", $"-c{connections}", $"-d{seconds}s" };
        if (latency) args.Add("--latency");
        foreach (var h in headers) { args.Add("-H"); args.Add(h); }
        args.Add(url);
        var output = await RunAsync(args);
        return Parse(output, latency);
    }

    private static Run Parse(string output, bool latency)
    {
        double Ms(string label)
        {
            var m = Regex.Match(output, $@"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            var v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => v / 1000, "s" => v * 1000, _ => v };
        }
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } e ? int.Parse(e.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output) is { Success: true } s ? s.Groups.Values.Skip(1).Sum(g => int.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        var requests = Completed().Match(output) is { Success: true } c ? long.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return latency ? new Run(rps, Ms("50"), Ms("99"), errors + socket, requests) : new Run(rps, 0, 0, errors + socket, requests);
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("wrk failed: " + output + await process.StandardError.ReadToEndAsync());
        return output;
    }

    private static async Task<string> RunAsync(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("wrk failed: " + output + await process.StandardError.ReadToEndAsync());
        return output;
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Completed();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

/// <summary>Garbage collections by generation and the time the process spent paused for them.</summary>
internal readonly record struct GcTotals(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Allocated)
{
    public static GcTotals Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
    public static GcTotals operator -(GcTotals a, GcTotals b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused, a.Allocated - b.Allocated);
    public override string ToString() => $"{Gen0} gen0, {Gen1} gen1, {Gen2} gen2 collections, {Paused.TotalMilliseconds:0} ms paused, {Allocated / 1048576} MB allocated";
}
