using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace Attune.Data;

/// <summary>
/// Which migrations a database gets (docs/architecture.md, Migrations). The hand-written history in
/// <c>Data/Migrations</c> (namespace <see cref="Shared"/>) is provider-neutral and applies on both
/// engines, so databases made before migrations were generated keep the history they have. Every
/// migration made since by <c>dotnet ef migrations add</c> is per provider, because the tool writes
/// provider column types: <c>Data/Migrations/Sqlite</c> and <c>Data/Migrations/Postgres</c>, each with
/// its own model snapshot. A database sees the shared history plus its own provider's set.
/// </summary>
public static class MigrationSets
{
    public const string Shared = "Attune.Data.Migrations";
    public const string Sqlite = Shared + ".Sqlite";
    public const string Postgres = Shared + ".Postgres";

    /// <summary>
    /// The provider's migration set, and the model they are for. Identity builds its tables from
    /// <c>IdentityOptions.Stores.SchemaVersion</c>, read from the application's services; the app
    /// sets version 3 (passkeys) in <c>AddAccount</c>. A context made outside the app (the
    /// design-time tool, the schema tests) has no application services, so it is given just
    /// those options, and every context builds the same model.
    /// </summary>
    public static DbContextOptionsBuilder UseAttuneMigrations(this DbContextOptionsBuilder options)
    {
        if (options.Options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider is null)
            options.UseApplicationServiceProvider(IdentityModelServices.Value);
        return options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    private static readonly Lazy<IServiceProvider> IdentityModelServices = new(() => new ServiceCollection()
        .Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(o => o.Stores.SchemaVersion = Microsoft.AspNetCore.Identity.IdentitySchemaVersions.Version3)
        .BuildServiceProvider());

    /// <summary>The namespace of the migration set (and snapshot) for a context's provider.</summary>
    public static string For(string? providerName) =>
        providerName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? Postgres
        : providerName == "Microsoft.EntityFrameworkCore.Sqlite" ? Sqlite
        : throw new NotSupportedException($"Attune has no migrations for {providerName}.");
}

#pragma warning disable EF1001 // EF's own migrations assembly, narrowed to one provider's set: its other behaviour is kept as it is.
public sealed class ProviderMigrationsAssembly(
    ICurrentDbContext currentContext,
    IDbContextOptions options,
    IMigrationsIdGenerator idGenerator,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
{
    private readonly Type _context = currentContext.Context.GetType();
    private readonly string _set = MigrationSets.For(currentContext.Context.Database.ProviderName);
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;

    public override IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= Find();

    public override ModelSnapshot? ModelSnapshot => _snapshot ??= Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(ModelSnapshot)) && !t.IsAbstract && t.Namespace == _set && BelongsHere(t))
        .Select(t => (ModelSnapshot)Activator.CreateInstance(t)!)
        .SingleOrDefault();

    private SortedDictionary<string, TypeInfo> Find()
    {
        // Ordinal order is the order the ids were made in (a timestamp, then the name).
        var found = new SortedDictionary<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var t in Assembly.GetTypes())
        {
            if (!t.IsSubclassOf(typeof(Migration)) || t.IsAbstract || !BelongsHere(t)) continue;
            if (t.Namespace != MigrationSets.Shared && t.Namespace != _set) continue;
            var id = t.GetCustomAttribute<MigrationAttribute>()?.Id;
            if (id is null) continue;
            if (!found.TryAdd(id, t.GetTypeInfo()))
                throw new InvalidOperationException($"Two migrations have the id {id}: {found[id].FullName} and {t.FullName}.");
        }
        return found;
    }

    private bool BelongsHere(Type t) => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == _context;
}
#pragma warning restore EF1001

/// <summary>
/// How <c>dotnet ef</c> makes an <see cref="AttuneDb"/>: no running app, no database, the provider
/// named after <c>--</c> (<c>-- --provider Postgres</c>; SQLite when none is named).
/// </summary>
public sealed class AttuneDesignTimeFactory : IDesignTimeDbContextFactory<AttuneDb>
{
    public AttuneDb CreateDbContext(string[] args)
    {
        var i = Array.IndexOf(args, "--provider");
        var provider = i >= 0 && i + 1 < args.Length ? args[i + 1] : "Sqlite";
        var options = new DbContextOptionsBuilder<AttuneDb>();
        if (string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
            options.UseNpgsql("Host=localhost;Database=attune_design_time");
        else if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
            options.UseSqlite("Data Source=:memory:");
        else
            throw new ArgumentException($"--provider must be Sqlite or Postgres, not {provider}.");
        options.UseAttuneMigrations();
        return new AttuneDb(options.Options);
    }
}
