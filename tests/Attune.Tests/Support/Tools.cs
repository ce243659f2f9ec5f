using System.Diagnostics;
using Npgsql;

namespace Attune.Tests.Support;

/// <summary>The repository's own files (deploy/, tools/), and the command-line programs the operations guide uses.</summary>
public static class Tools
{
    public static string RepoRoot { get; } = FindRoot();

    public static string RepoPath(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>The libpq variables for a PostgreSQL connection string, as psql, pg_dump and pg_restore read them.</summary>
    public static Dictionary<string, string> PgEnvironment(string connectionString)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        return new()
        {
            ["PGHOST"] = cs.Host ?? "127.0.0.1",
            ["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = cs.Username ?? "postgres",
            ["PGPASSWORD"] = cs.Password ?? "",
            ["PGDATABASE"] = cs.Database ?? "postgres",
        };
    }

    /// <summary>Runs a program to its end; fails the test, printing what it said, when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var said = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{said}");
        return said;
    }

    public static bool Installed(string program) => Find(program) is not null;

    /// <summary>The program's full path, looking in /usr/sbin too (nginx lives there, and not every PATH has it).</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Attune.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The tests run outside the repository: Attune.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A test that needs programs from Debian packages; skipped, naming them, where they are missing (.ci/run installs them).</summary>
public sealed class NeedsFactAttribute : FactAttribute
{
    public NeedsFactAttribute(params string[] programs)
    {
        var missing = programs.Where(p => !Tools.Installed(p)).ToList();
        if (missing.Count > 0) Skip = $"Not installed here: {string.Join(", ", missing)} (.ci/run installs them).";
    }
}
