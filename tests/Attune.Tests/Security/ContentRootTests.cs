using System.Net;
using Attune.Tests.Support;

namespace Attune.Tests.Security;

/// <summary>
/// The published app started from some other folder (as a service manager may) still finds its
/// settings and its static files in its own folder. "Published" here is the build output plus
/// wwwroot copied into a folder of their own (what <c>dotnet publish</c> lays out), so the test
/// needs no publish step.
/// </summary>
public sealed class ContentRootTests
{
    [SqliteFact]
    public async Task StartedFromAnotherFolder_TheAppUsesItsOwnSettingsAndStaticFiles()
    {
        var root = Directory.CreateTempSubdirectory("attune-contentroot").FullName;
        var app = Directory.CreateDirectory(Path.Combine(root, "srv", "attune")).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        try
        {
            Copy(AppContext.BaseDirectory, app);
            Copy(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Attune/wwwroot")), Path.Combine(app, "wwwroot"));

            // At the app's default levels: the settings file is what keeps request URLs (search words) out of the log.
            await using var server = await ServerProcess.StartAsync(Path.Combine(root, "data"), new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" },
                appDirectory: app, workingDirectory: elsewhere);
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            var css = await http.GetAsync("/css/site.css");
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/therapists?q=ContentRootCanaryWord")).StatusCode);
            await Task.Delay(500); // let the output reach us
            Assert.Contains(server.Output, l => l.Contains("Content root path: " + app, StringComparison.Ordinal));
            Assert.DoesNotContain(server.Output, l => l.Contains("ContentRootCanaryWord", StringComparison.Ordinal));
            Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.EnumerateDirectories(from)) Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
    }
}
