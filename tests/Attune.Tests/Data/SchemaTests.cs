using System.Data.Common;
using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure.Crypto;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Caching.Memory;

namespace Attune.Tests.Data;

/// <summary>
/// The history is partly hand-written (provider-neutral) and partly generated per provider (see
/// docs/architecture.md, Migrations), so these prove the whole chain: a database built by the
/// migrations has exactly the schema EF builds from the model, and upgrading from the previous
/// migration keeps the rows already there. Once per provider.
/// </summary>
public sealed class SchemaTests
{
    private const string PreviousMigration = "20261122090000_Foundation";

    [Fact]
    public async Task Sqlite_MigratedSchema_MatchesTheModel()
    {
        var dir = Directory.CreateTempSubdirectory("attune-schema").FullName;
        await using var migrated = Context($"Data Source={Path.Combine(dir, "migrated.db")};Pooling=false", postgres: false);
        await using var created = Context($"Data Source={Path.Combine(dir, "created.db")};Pooling=false", postgres: false);
        await migrated.Database.MigrateAsync();
        await created.Database.EnsureCreatedAsync();
        AssertSame(await SqliteSchemaAsync(created), await SqliteSchemaAsync(migrated));
    }

    [PostgresFact]
    public async Task Postgres_MigratedSchema_MatchesTheModel()
    {
        var a = await TestDatabase.CreatePostgresDatabaseAsync();
        var b = await TestDatabase.CreatePostgresDatabaseAsync();
        try
        {
            await using var migrated = Context(a, postgres: true);
            await using var created = Context(b, postgres: true);
            await migrated.Database.MigrateAsync();
            await created.Database.EnsureCreatedAsync();
            AssertSame(await PostgresSchemaAsync(created), await PostgresSchemaAsync(migrated));
        }
        finally
        {
            await TestDatabase.DropPostgresDatabaseAsync(a);
            await TestDatabase.DropPostgresDatabaseAsync(b);
        }
    }

    [Fact]
    public async Task Sqlite_UpgradeFromThePreviousMigration_KeepsRows()
    {
        var dir = Directory.CreateTempSubdirectory("attune-upgrade").FullName;
        await UpgradeKeepsRowsAsync($"Data Source={Path.Combine(dir, "upgrade.db")};Pooling=false", postgres: false);
    }

    [PostgresFact]
    public async Task Postgres_UpgradeFromThePreviousMigration_KeepsRows()
    {
        var cs = await TestDatabase.CreatePostgresDatabaseAsync();
        try { await UpgradeKeepsRowsAsync(cs, postgres: true); }
        finally { await TestDatabase.DropPostgresDatabaseAsync(cs); }
    }

    private static async Task UpgradeKeepsRowsAsync(string cs, bool postgres)
    {
        await using (var db = Context(cs, postgres))
        {
            await db.GetService<IMigrator>().MigrateAsync(PreviousMigration);
            Assert.Contains(PreviousMigration, await db.Database.GetAppliedMigrationsAsync());
            Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync());
            // The person is written as the previous schema has them (today's model has more columns).
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"AspNetUsers\" (\"Id\", \"UserName\", \"NormalizedUserName\", \"Email\", \"NormalizedEmail\", \"EmailConfirmed\", \"SecurityStamp\", " +
                "\"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\", \"TimeZone\", \"CreatedAt\") " +
                "VALUES ({0}, {1}, {2}, {1}, {2}, TRUE, 's', FALSE, FALSE, TRUE, 0, 'UTC', {3})",
                "upgrade-person", "u@example.test", "U@EXAMPLE.TEST", Created);
            db.PersonKeys.Add(db.Vault.NewPersonKey("upgrade-person", DateTime.UtcNow));
            await db.SaveChangesAsync();
            var name = await db.SealAsync("upgrade-person", AttuneUser.Table, "upgrade-person", "displayName", "Kept Through The Upgrade");
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AspNetUsers\" SET \"DisplayNameSealed\" = {0} WHERE \"Id\" = 'upgrade-person'", name.Bytes);
        }
        await using (var db = Context(cs, postgres))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var user = await db.Users.SingleAsync(u => u.Id == "upgrade-person");
            Assert.Equal("Kept Through The Upgrade", await db.DisplayNameAsync(user));
            Assert.Equal(Created, user.WelcomedAt); // someone here before the welcome isn't a newcomer
            Assert.False(user.QuickExitSignsOut);
            Assert.Equal(0, await db.Set<UserSession>().CountAsync());
        }
    }

    private static readonly DateTime Created = new(2026, 11, 1, 9, 30, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Sqlite_CheckInsTakenBeforeResultsWereSealed_KeepTheirResults_AndLoseThePlainCopies()
    {
        var dir = Directory.CreateTempSubdirectory("attune-checkins").FullName;
        await CheckInResultsUpgradeAsync($"Data Source={Path.Combine(dir, "upgrade.db")};Pooling=false", postgres: false);
    }

    [PostgresFact]
    public async Task Postgres_CheckInsTakenBeforeResultsWereSealed_KeepTheirResults_AndLoseThePlainCopies()
    {
        var cs = await TestDatabase.CreatePostgresDatabaseAsync();
        try { await CheckInResultsUpgradeAsync(cs, postgres: true); }
        finally { await TestDatabase.DropPostgresDatabaseAsync(cs); }
    }

    /// <summary>A PHQ-9 saved the old way (plain total, band, subscales and item-9 flag beside sealed answers), then the upgrade.</summary>
    private static async Task CheckInResultsUpgradeAsync(string cs, bool postgres)
    {
        var id = Guid.NewGuid();
        int[] answers = [2, 2, 2, 2, 2, 2, 2, 2, 1];
        await using (var db = Context(cs, postgres))
        {
            // The person is made at the head (the account row has grown since), then the database
            // goes back to just before the sealing, where the check-in is saved the old way.
            await db.Database.MigrateAsync();
            var user = new AttuneUser { Id = "checkin-person", UserName = "c@example.test", Email = "c@example.test", NormalizedEmail = "C@EXAMPLE.TEST", NormalizedUserName = "C@EXAMPLE.TEST", CreatedAt = DateTime.UtcNow, SecurityStamp = "s" };
            db.Users.Add(user);
            db.PersonKeys.Add(db.Vault.NewPersonKey(user.Id, DateTime.UtcNow));
            await db.SaveChangesAsync();
            await db.GetService<IMigrator>().MigrateAsync("20261201100100_ReachRecipientRelationship");
            var sealedAnswers = await db.SealAsync(user.Id, Attune.Features.Assessments.CheckIn.Table, id.ToString(), "answers", System.Text.Json.JsonSerializer.Serialize(answers));
            await db.Database.ExecuteSqlAsync($"INSERT INTO \"CheckIns\" (\"Id\", \"OwnerId\", \"Instrument\", \"TakenAt\", \"Total\", \"Band\", \"Subscales\", \"Safety\", \"Answers\") VALUES ({id}, {user.Id}, {"phq9"}, {DateTime.UtcNow}, {17}, {"moderately severe"}, {"{}"}, {true}, {sealedAnswers.Bytes})");
        }
        await using (var db = Context(cs, postgres))
        {
            await db.Database.MigrateAsync();
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            var columns = postgres
                ? (await QueryAsync(conn, "SELECT column_name FROM information_schema.columns WHERE table_name = 'CheckIns'")).Select(r => r[0]).ToList()
                : (await QueryAsync(conn, "PRAGMA table_info('CheckIns')")).Select(r => r[1]).ToList();
            Assert.Equal(["Answers", "Id", "Instrument", "OwnerId", "TakenAt"], columns.Order(StringComparer.Ordinal));
            var raw = await QueryAsync(conn, "SELECT * FROM \"CheckIns\"");
            Assert.DoesNotContain(raw.Single(), v => v.Contains("moderately", StringComparison.OrdinalIgnoreCase));
            await conn.CloseAsync();

            var row = await db.Set<Attune.Features.Assessments.CheckIn>().SingleAsync(c => c.Id == id);
            var score = await Attune.Features.Assessments.CheckInQueries.ScoreAsync(db, new Attune.Features.Assessments.Instruments(), row, default);
            Assert.NotNull(score);
            Assert.Equal((17, "moderately severe", true), (score.Total, score.Band, score.Safety));
        }
    }

    private static readonly MasterKeyRing Ring = new(new Dictionary<int, byte[]> { [1] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) }, null);
    private static readonly Vault SharedVault = new(Ring, new MemoryCache(new MemoryCacheOptions()));

    private static AttuneDb Context(string cs, bool postgres)
    {
        var options = new DbContextOptionsBuilder<AttuneDb>();
        if (postgres) options.UseNpgsql(cs); else options.UseSqlite(cs);
        options.UseAttuneMigrations();
        options.ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));
        return new AttuneDb(options.Options, SharedVault, new WriteGate(false), TimeProvider.System);
    }

    private static void AssertSame(SortedSet<string> expected, SortedSet<string> actual)
    {
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Migrations differ from the model.\nIn the model, not the migrations:\n  {string.Join("\n  ", missing)}\nIn the migrations, not the model:\n  {string.Join("\n  ", extra)}");
        Assert.True(expected.Count > 50, "The schema description looks empty");
    }

    private static async Task<SortedSet<string>> SqliteSchemaAsync(AttuneDb db)
    {
        var rows = new SortedSet<string>(StringComparer.Ordinal);
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        var tables = await QueryAsync(conn, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND substr(name, 1, 4) <> '__EF'");
        foreach (var t in tables)
        {
            var table = t[0];
            rows.Add($"table {table} autoincrement={t[1].Contains("AUTOINCREMENT", StringComparison.Ordinal)}");
            foreach (var c in await QueryAsync(conn, $"PRAGMA table_info('{table}')"))
                rows.Add($"column {table}.{c[1]} {c[2]} notnull={c[3]} pk={c[5]}");
            foreach (var i in await QueryAsync(conn, $"PRAGMA index_list('{table}')"))
            {
                if (i[3] == "pk") continue;
                var columns = string.Join(",", (await QueryAsync(conn, $"PRAGMA index_info('{i[1]}')")).Select(r => r[2]));
                rows.Add($"index {table}.{i[1]} unique={i[2]} ({columns})");
            }
            foreach (var f in await QueryAsync(conn, $"PRAGMA foreign_key_list('{table}')"))
                rows.Add($"fk {table}.{f[3]} -> {f[2]}.{f[4]} on delete {f[6]}");
        }
        return rows;
    }

    private static async Task<SortedSet<string>> PostgresSchemaAsync(AttuneDb db)
    {
        var rows = new SortedSet<string>(StringComparer.Ordinal);
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync();
        foreach (var c in await QueryAsync(conn, "SELECT table_name, column_name, data_type, coalesce(character_maximum_length::text, ''), is_nullable, is_identity, coalesce(identity_generation, '') FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'"))
            rows.Add($"column {c[0]}.{c[1]} {c[2]}({c[3]}) nullable={c[4]} identity={c[5]} {c[6]}");
        foreach (var i in await QueryAsync(conn, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'"))
            rows.Add($"index {i[0]}.{i[1]} {i[2]}");
        foreach (var k in await QueryAsync(conn, "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '\"__EFMigrationsHistory\"'"))
            rows.Add($"constraint {k[0]}.{k[1]} {k[2]}");
        return rows;
    }

    private static async Task<List<string[]>> QueryAsync(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            result.Add(row);
        }
        return result;
    }
}
