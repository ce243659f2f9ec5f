using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Data;

/// <summary>
/// A database made by an earlier Attune (main at 0e29cc4, the last commit whose migrations were all
/// written by hand) upgrades to today's head with everything a person wrote still readable. The
/// fixtures were made by that version's own code, driven through its API (Data/Fixtures/…/make.py),
/// then dumped: <c>sqlite3 .dump</c> and <c>pg_dump</c>. Their master keys are test keys.
/// </summary>
public sealed class UpgradeFromMainTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "main-0e29cc4", name);

    [SqliteFact]
    public async Task Sqlite_DatabaseMadeByMain_MigratesToTheHead_WithItsDataIntact()
    {
        var app = new ConfiguredApp(new() { ["Database:Provider"] = "Sqlite" });
        try
        {
            await using (var conn = new SqliteConnection($"Data Source={app.SqliteFile};Pooling=false"))
            {
                await conn.OpenAsync();
                await using var load = conn.CreateCommand();
                load.CommandText = await File.ReadAllTextAsync(Fixture("sqlite.sql"));
                await load.ExecuteNonQueryAsync();
            }
            File.Copy(Fixture("sqlite-master.key"), Path.Combine(app.DataDirectory, "master.key"));
            await app.InitializeAsync();
            await AssertUpgradedAsync(app, Fixture("sqlite-ids.json"));
        }
        finally { await ((IAsyncLifetime)app).DisposeAsync(); }
    }

    [PostgresFact]
    public async Task Postgres_DatabaseMadeByMain_MigratesToTheHead_WithItsDataIntact()
    {
        var cs = await TestDatabase.CreatePostgresDatabaseAsync();
        var app = new ConfiguredApp(new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Default"] = cs });
        try
        {
            await Tools.RunAsync("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-f", Fixture("postgres.sql")], Tools.PgEnvironment(cs));
            File.Copy(Fixture("postgres-master.key"), Path.Combine(app.DataDirectory, "master.key"));
            await app.InitializeAsync();
            await AssertUpgradedAsync(app, Fixture("postgres-ids.json"));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
            await TestDatabase.DropPostgresDatabaseAsync(cs);
        }
    }

    private static async Task AssertUpgradedAsync(AttuneApp app, string idsFile)
    {
        var ids = JsonDocument.Parse(await File.ReadAllTextAsync(idsFile)).RootElement;
        string Id(string name) => ids.GetProperty(name).GetString()!;

        var (applied, known) = await app.WithDbAsync(async db => (
            (await db.Database.GetAppliedMigrationsAsync()).ToList(), db.Database.GetMigrations().ToList()));
        Assert.Equal(known, applied);
        Assert.Contains("20261122180000_Care", applied);

        var person = await app.SignInAsync("fixture-person@example.test");
        Assert.Equal(Id("personId"), person.Id);
        var me = await Json(person.Api, "/api/v1/me");
        Assert.Equal("Ελένη Fixture-Person Ødegård", me.GetProperty("displayName").GetString());
        Assert.Equal("Europe/Athens", me.GetProperty("timeZone").GetString());

        var entry = await Json(person.Api, $"/api/v1/journal/{Id("entryId")}");
        Assert.Equal("Fixture entry title", entry.GetProperty("title").GetString());
        Assert.Equal("Fixture journal text — Grüße, Привет, καλημέρα.", entry.GetProperty("text").GetString());
        Assert.Equal("Fixture situation text", (await Json(person.Api, $"/api/v1/activations/{Id("activationId")}")).GetProperty("situation").GetString());
        Assert.Equal("Fixture warning sign", (await Json(person.Api, "/api/v1/safety-plan")).GetProperty("warningSigns")[0].GetString());
        var phq = await Json(person.Api, "/api/v1/assessments/phq9/responses");
        Assert.Contains(phq.GetProperty("items").EnumerateArray(), r => r.GetProperty("total").GetInt32() == ids.GetProperty("phq9Total").GetInt32());

        var reach = await Json(person.Api, $"/api/v1/reaches/{Id("reachId")}");
        Assert.Equal("Fixture reach message", reach.GetProperty("message").GetString());
        Assert.Contains(reach.GetProperty("recipients").EnumerateArray(), r => r.GetProperty("message").GetString() == "Fixture reply message");

        // The supporter's side of the relationship came through too, and new writes work.
        var supporter = await app.SignInAsync("fixture-supporter@example.test");
        Assert.Contains(Id("personId"), await (await supporter.Api.GetAsync("/api/v1/circle")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Expect.StatusAsync(await person.Api.PostAsJsonAsync("/api/v1/journal", new { kind = "free", text = "Written after the upgrade" }), HttpStatusCode.Created);
        Assert.Empty(await app.WithDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));
    }

    private static async Task<JsonElement> Json(HttpClient api, string url)
    {
        var response = await api.GetAsync(url);
        return JsonDocument.Parse(await Expect.StatusAsync(response, HttpStatusCode.OK)).RootElement;
    }
}
