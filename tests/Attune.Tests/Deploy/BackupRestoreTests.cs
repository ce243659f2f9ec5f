using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Features.Safety;
using Attune.Tests.Support;
using Npgsql;

namespace Attune.Tests.Deploy;

/// <summary>
/// The guide's backup and restore (deploy/backup.sh, deploy/restore.sh), end to end: a backup taken
/// while Attune runs, restored on a "new machine" (an empty data folder, an empty database) whose
/// only other input is the master key from its separate backup, opens with everything a person
/// wrote readable; what was written after the backup is not in it; and without the key it opens nothing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the guide and its scripts are for Linux servers
public sealed class BackupRestoreTests
{
    private const string Before = "Written before the backup: the river at dawn.";
    private const string After = "Written after the backup.";

    [SqliteFact]
    public async Task Sqlite_BackupWhileRunning_RestoredOnANewMachine_OpensWithItsMasterKey_AndWithoutItNothingOpens()
    {
        var keys = Directory.CreateTempSubdirectory("attune-keys").FullName;
        var backups = Directory.CreateTempSubdirectory("attune-backups").FullName;
        var old = new ConfiguredApp(new() { ["Database:Provider"] = "Sqlite" });
        var fresh = new ConfiguredApp(new() { ["Database:Provider"] = "Sqlite", ["Attune:MasterKeyFile"] = Path.Combine(keys, "master.key") });
        var keyless = new ConfiguredApp(new() { ["Database:Provider"] = "Sqlite" });
        try
        {
            await old.InitializeAsync();
            var written = await WriteAsync(old);
            File.Copy(Path.Combine(old.DataDirectory, "master.key"), Path.Combine(keys, "master.key"));

            var backup = LastLine(await Tools.RunAsync("bash", [Tools.RepoPath("deploy", "backup.sh"), "sqlite", old.SqliteFile, backups]));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            await Expect.StatusAsync(await written.Person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = After }), HttpStatusCode.Created);

            await Tools.RunAsync("bash", [Tools.RepoPath("deploy", "restore.sh"), "sqlite", backup, fresh.DataDirectory]);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fresh.SqliteFile));
            await fresh.InitializeAsync();
            await AssertRestoredAsync(fresh, written);

            // The backup alone opens nothing: on a machine without the master key (a new one is
            // made), the app's own keys, sealed under the old master key, don't open, and it
            // refuses to start, saying which setting to look at.
            await Tools.RunAsync("bash", [Tools.RepoPath("deploy", "restore.sh"), "sqlite", backup, keyless.DataDirectory]);
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => keyless.InitializeAsync());
            Assert.Contains("master key does not open", Flatten(refused), StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)old).DisposeAsync();
            await ((IAsyncLifetime)fresh).DisposeAsync();
            await ((IAsyncLifetime)keyless).DisposeAsync();
            Directory.Delete(keys, recursive: true);
            Directory.Delete(backups, recursive: true);
        }
    }

    [PostgresFact]
    public async Task Postgres_DumpWhileRunning_RestoredIntoANewDatabase_OpensWithTheMasterKey()
    {
        var keys = Directory.CreateTempSubdirectory("attune-keys").FullName;
        var backups = Directory.CreateTempSubdirectory("attune-backups").FullName;
        var a = await TestDatabase.CreatePostgresDatabaseAsync();
        var b = await TestDatabase.CreatePostgresDatabaseAsync();
        var old = new ConfiguredApp(new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Default"] = a });
        var fresh = new ConfiguredApp(new()
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = b,
            ["Attune:MasterKeyFile"] = Path.Combine(keys, "master.key"),
        });
        try
        {
            await old.InitializeAsync();
            var written = await WriteAsync(old);
            File.Copy(Path.Combine(old.DataDirectory, "master.key"), Path.Combine(keys, "master.key"));
            var password = new Dictionary<string, string> { ["PGPASSWORD"] = new NpgsqlConnectionStringBuilder(a).Password ?? "" };

            var backup = LastLine(await Tools.RunAsync("bash", [Tools.RepoPath("deploy", "backup.sh"), "postgres", ConnInfo(a), backups], password));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            await Expect.StatusAsync(await written.Person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = After }), HttpStatusCode.Created);

            await Tools.RunAsync("bash", [Tools.RepoPath("deploy", "restore.sh"), "postgres", backup, ConnInfo(b)], password);
            await fresh.InitializeAsync();
            await AssertRestoredAsync(fresh, written);
        }
        finally
        {
            await ((IAsyncLifetime)old).DisposeAsync();
            await ((IAsyncLifetime)fresh).DisposeAsync();
            await TestDatabase.DropPostgresDatabaseAsync(a);
            await TestDatabase.DropPostgresDatabaseAsync(b);
            Directory.Delete(keys, recursive: true);
            Directory.Delete(backups, recursive: true);
        }
    }

    private sealed record Written(Person Person, string EntryId, string ActivationId);

    private const string Name = "Ελένη Backup Ødegård";
    private static readonly SafetyPlanDto Plan = new(
        ["Ich schlafe schlecht"], ["Дышать медленно"], ["A walk by the sea"], ["Nikos, my brother"],
        ["Dr. Μαρία, 210 000 0000"], ["Keep the pills at my sister's"], ["My cat, Όλγα"]);

    /// <summary>Something in each kind of place a person writes: profile, journal, activation log, safety plan.</summary>
    private static async Task<Written> WriteAsync(AttuneApp app)
    {
        var person = await app.RegisterAsync(Name);
        var entry = await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", title = "Before — καλημέρα", text = Before });
        var activation = await person.Api.PostAsJsonAsync("/api/v1/activations", new
        {
            situation = "The café was loud — Grüße",
            reaction = "I left early",
            emotions = new[] { "sad" },
            intensity = 6,
            needed = "Quiet, and a friend",
            response = "Breathed, texted Nikos",
        });
        await Expect.StatusAsync(await person.Api.PutAsJsonAsync("/api/v1/safety-plan", Plan), HttpStatusCode.OK);
        return new(person, IdOf(await Expect.StatusAsync(entry, HttpStatusCode.Created)), IdOf(await Expect.StatusAsync(activation, HttpStatusCode.Created)));
    }

    private static async Task AssertRestoredAsync(AttuneApp restored, Written written)
    {
        var again = await restored.SignInAsync(written.Person.Email);
        Assert.Equal(written.Person.Id, again.Id);
        Assert.Equal(Name, (await JsonAsync(again, "/api/v1/me")).GetProperty("displayName").GetString());

        var entry = await JsonAsync(again, $"/api/v1/journal/{written.EntryId}");
        Assert.Equal("Before — καλημέρα", entry.GetProperty("title").GetString());
        Assert.Equal(Before, entry.GetProperty("text").GetString());
        var all = await Expect.StatusAsync(await again.Api.GetAsync("/api/v1/journal"), HttpStatusCode.OK);
        Assert.DoesNotContain(After, all, StringComparison.Ordinal);
        Assert.Single(JsonDocument.Parse(all).RootElement.GetProperty("items").EnumerateArray());

        var activation = await JsonAsync(again, $"/api/v1/activations/{written.ActivationId}");
        Assert.Equal(
            ["The café was loud — Grüße", "I left early", "Quiet, and a friend", "Breathed, texted Nikos"],
            new[] { "situation", "reaction", "needed", "response" }.Select(f => activation.GetProperty(f).GetString()!));

        var plan = await JsonAsync(again, "/api/v1/safety-plan");
        foreach (var (field, expected) in new[]
        {
            ("warningSigns", Plan.WarningSigns), ("copingStrategies", Plan.CopingStrategies), ("distractions", Plan.Distractions),
            ("helpers", Plan.Helpers), ("professionals", Plan.Professionals), ("safeEnvironment", Plan.SafeEnvironment), ("reasonsToLive", Plan.ReasonsToLive),
        })
            Assert.Equal(expected, plan.GetProperty(field).EnumerateArray().Select(e => e.GetString()!));
    }

    private static async Task<JsonElement> JsonAsync(Person person, string url) =>
        JsonDocument.Parse(await Expect.StatusAsync(await person.Api.GetAsync(url), HttpStatusCode.OK)).RootElement;

    private static string IdOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;

    private static string ConnInfo(string connectionString)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        return $"host={cs.Host} port={cs.Port} user={cs.Username} dbname={cs.Database}";
    }

    private static string LastLine(string output) => output.Trim().Split('\n')[^1].Trim();

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
