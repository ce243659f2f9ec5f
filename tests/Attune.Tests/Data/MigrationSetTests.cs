using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Attune.Tests.Data;

/// <summary>
/// The tool-made half of migrations (docs/architecture.md, Migrations): each provider's snapshot is
/// the model as it is, so <c>dotnet ef migrations add</c> makes exactly the next change; and each
/// provider sees the shared hand-written history plus its own set, never the other's. No database
/// is needed: the snapshot is compared with the model in memory.
/// </summary>
public sealed class MigrationSetTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void ModelSnapshot_IsTheModel(string provider)
    {
        using var db = Context(provider);
        Assert.True(db.GetService<IMigrationsAssembly>().ModelSnapshot is not null, $"No {provider} model snapshot.");
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model snapshot is behind the model. After a hand-written migration landed, run tools/migrations.sh sync; " +
            "for a change of your own, tools/migrations.sh add NAME (docs/architecture.md, Migrations).");
    }

    [Theory]
    [InlineData("Sqlite", MigrationSets.Sqlite, MigrationSets.Postgres)]
    [InlineData("Postgres", MigrationSets.Postgres, MigrationSets.Sqlite)]
    public void EachProvider_GetsTheSharedHistory_AndOnlyItsOwnSet(string provider, string own, string other)
    {
        using var db = Context(provider);
        var assembly = db.GetService<IMigrationsAssembly>();
        var all = typeof(AttuneDb).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Migration))).ToList();
        var expected = all.Where(t => t.Namespace == MigrationSets.Shared || t.Namespace == own).Select(t => t.FullName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, assembly.Migrations.Values.Select(t => t.FullName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(assembly.Migrations.Values, t => t.Namespace == other);
        Assert.Contains("20261122090000_Foundation", assembly.Migrations.Keys);
        Assert.Equal(assembly.Migrations.Keys.Order(StringComparer.Ordinal), assembly.Migrations.Keys);
        Assert.Equal(own, assembly.ModelSnapshot!.GetType().Namespace);
        // Every migration lives in one of the three sets: one elsewhere would be silently skipped.
        Assert.All(all, t => Assert.Contains(t.Namespace, new[] { MigrationSets.Shared, MigrationSets.Sqlite, MigrationSets.Postgres }));
    }

    private static AttuneDb Context(string provider)
    {
        var options = new DbContextOptionsBuilder<AttuneDb>();
        if (provider == "Postgres") options.UseNpgsql("Host=127.0.0.1;Database=not_opened");
        else options.UseSqlite("Data Source=:memory:");
        options.UseAttuneMigrations();
        return new AttuneDb(options.Options);
    }
}
