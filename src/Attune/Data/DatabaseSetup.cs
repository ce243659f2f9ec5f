using System.Data.Common;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Attune.Data;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseSetup
{
    public static DatabaseProvider Provider(IConfiguration config) =>
        string.Equals(config["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase)
        || string.Equals(config["Database:Provider"], "PostgreSQL", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres
            : DatabaseProvider.Sqlite;

    public static string SqliteConnectionString(IConfiguration config, AttuneOptions options)
    {
        var configured = config.GetConnectionString("Default");
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured)
            ? $"Data Source={Path.Combine(options.ResolveDataDirectory(), "attune.db")}"
            : configured)
        {
            Pooling = true,
            DefaultTimeout = 30,
        };
        // The database file (and so its -wal and -shm, which SQLite makes with the same mode) is the owner's alone.
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode is not SqliteOpenMode.Memory && Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(file))))
        {
            PrivateFiles.EnsurePrivateFile(Path.GetFullPath(file));
            PrivateFiles.MakePrivate(Path.GetFullPath(file) + "-wal");
            PrivateFiles.MakePrivate(Path.GetFullPath(file) + "-shm");
        }
        return builder.ToString();
    }

    public static IHostApplicationBuilder AddAttuneDatabase(this IHostApplicationBuilder builder)
    {
        var provider = Provider(builder.Configuration);
        builder.Services.AddSingleton(new WriteGate(enabled: provider == DatabaseProvider.Sqlite));
        builder.Services.AddSingleton<GroupCommit>();
        builder.Services.AddSingleton(sp => MasterKeyRing.Load(sp.GetRequiredService<IOptions<AttuneOptions>>()));
        builder.Services.AddSingleton<Vault>();
        builder.Services.AddSingleton<AppKeys>();
        builder.Services.AddScoped<SharedKeys>();
        builder.Services.AddMemoryCache(o => o.SizeLimit = 100_000);

        builder.Services.AddSingleton<PersonProfiles>();
        builder.Services.AddSingleton<IPersonCache>(sp => sp.GetRequiredService<PersonProfiles>());
        builder.Services.AddSingleton<PersonSnapshots>();
        builder.Services.AddSingleton<IPersonCache>(sp => sp.GetRequiredService<PersonSnapshots>());
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Infrastructure.Web.CurrentPerson>();
        builder.Services.AddScoped<Infrastructure.Web.PersonTime>();
        // Pooled: a context's EF services are set up once and reused, not built again for every request
        // (that setup was about a tenth of the CPU of a page with one small query).
        builder.Services.AddDbContextPool<AttuneDb>((sp, o) =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            if (provider == DatabaseProvider.Postgres)
            {
                var cs = config.GetConnectionString("Default")
                    ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Default is not set.");
                o.UseNpgsql(cs);
            }
            else
            {
                o.UseSqlite(SqliteConnectionString(config, sp.GetRequiredService<IOptions<AttuneOptions>>().Value));
                o.AddInterceptors(SqlitePragmas.Instance);
            }
            if (Infrastructure.Bench.BenchSupport.Enabled(config)) o.AddInterceptors(Infrastructure.Bench.QueryCounter.Instance);
            o.UseAttuneMigrations();
            // A model ahead of the snapshots (a hand-written migration merged, snapshots not yet
            // refreshed) must not stop a node from starting; SnapshotTests fail on it instead.
            o.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        }, poolSize: 256); // options are built once, not per request

        builder.Services.AddSingleton<DataProtectionKeyStore>();
        builder.Services.AddDataProtection().SetApplicationName("Attune");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DataProtectionKeyStore>((o, store) => o.XmlRepository = store);
        return builder;
    }

    /// <summary>Applies migrations; on SQLite also switches the file to WAL (a persistent setting).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync(ct);
        await services.GetRequiredService<AppKeys>().LoadAsync(ct);
    }

    /// <summary>
    /// Per-connection SQLite settings. synchronous=FULL: a write acknowledged to a person is on
    /// disk. secure_delete: deleted rows are overwritten, not left in free pages. Pooled
    /// connections keep their settings, so they are applied once per underlying SQLite handle,
    /// not on every open.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        private const string Sql = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;";
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Prepared = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (!NeedsPragmas(connection)) return;
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (!NeedsPragmas(connection)) return;
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        private static bool NeedsPragmas(DbConnection connection) =>
            connection is not SqliteConnection { Handle: { } handle } || Prepared.TryAdd(handle, Sql);
    }
}
