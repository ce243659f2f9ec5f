using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Attune.Tests.Support;

/// <summary>The real app as its own process on 127.0.0.1, so a test can kill it with SIGKILL.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string baseUrl, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        _process = process;
        BaseUrl = baseUrl;
        Output = output;
    }

    public string BaseUrl { get; }

    /// <summary>What the server wrote to its standard output and error, line by line.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; }

    /// <param name="appDirectory">Where Attune.dll is (the test's own output by default).</param>
    /// <param name="workingDirectory">The folder it is started from (the app's own by default).</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IDictionary<string, string>? environment = null, string? appDirectory = null, string? workingDirectory = null)
    {
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var dll = Path.Combine(appDirectory ?? AppContext.BaseDirectory, "Attune.dll");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls {url}")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? appDirectory ?? AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Attune__DataDirectory"] = dataDirectory;
        start.Environment["Attune__PublicBaseUrl"] = url;
        start.Environment["Attune__AuthAttemptsPerMinute"] = "100000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Patient: on CI's two busy cores a cold start (JIT, migrations, the first request) has taken over a minute.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The server exited with code {process.ExitCode} while starting.");
            try
            {
                if ((await http.GetAsync(url + "/health")).StatusCode == HttpStatusCode.OK) return new ServerProcess(process, url, output);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The server did not become healthy within 150 s.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as in a power cut to the process.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>A port nothing listens on now, on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
