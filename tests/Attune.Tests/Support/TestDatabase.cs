using Npgsql;

namespace Attune.Tests.Support;

/// <summary>
/// Which database the suite runs on. <c>ATTUNE_TEST_DATABASE=postgres</c> runs everything on
/// PostgreSQL (a fresh database per test host) using <c>ATTUNE_TEST_POSTGRES</c>; otherwise SQLite.
/// PostgreSQL-only tests run whenever <c>ATTUNE_TEST_POSTGRES</c> is set and are skipped, saying so, when it isn't.
/// </summary>
public static class TestDatabase
{
    public static string? PostgresServer => Environment.GetEnvironmentVariable("ATTUNE_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static bool UsePostgres =>
        string.Equals(Environment.GetEnvironmentVariable("ATTUNE_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase);

    public const string NoPostgres = "PostgreSQL is not configured here (set ATTUNE_TEST_POSTGRES to a server connection string; .ci/run does).";

    public static async Task<string> CreatePostgresDatabaseAsync()
    {
        var server = PostgresServer ?? throw new InvalidOperationException(NoPostgres);
        var name = "attune_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ToString();
    }

    public static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(PostgresServer);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>A PostgreSQL-only test; with programs named (<c>[PostgresFact("nginx")]</c>), it needs them too and is skipped, naming them, where they are missing.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute(params string[] programs)
    {
        var missing = programs.Where(p => !Tools.Installed(p)).ToList();
        if (TestDatabase.PostgresServer is null) Skip = TestDatabase.NoPostgres;
        else if (missing.Count > 0) Skip = $"Not installed here: {string.Join(", ", missing)} (.ci/run installs them).";
    }

    /// <summary>Run once, in the PostgreSQL pass (<c>ATTUNE_TEST_DATABASE=postgres</c>), not again in the SQLite pass: for tests too slow to run twice.</summary>
    public bool OnlyInPostgresRun
    {
        get;
        set
        {
            field = value;
            if (value && Skip is null && !TestDatabase.UsePostgres) Skip = "Runs in the PostgreSQL pass (ATTUNE_TEST_DATABASE=postgres); this run uses SQLite.";
        }
    }
}

/// <summary>A test about SQLite's own file (durability, secure delete); skipped on the PostgreSQL run, which has its own.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestDatabase.UsePostgres) Skip = "This test is about the SQLite file; this run uses PostgreSQL.";
    }
}
