using Attune.Infrastructure.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Support;

/// <summary>
/// Two app nodes in this process on one new PostgreSQL database, as two servers behind a proxy
/// would be: one master key and one mail folder (either node's job worker may be the one that
/// sends an email the other queued), each listening for the other's events before a test starts.
/// Disposing ends both nodes and drops the database.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private readonly string _database;

    private TwoNodes(string database, ConfiguredApp a, ConfiguredApp b) => (_database, A, B) = (database, a, b);

    public ConfiguredApp A { get; }
    public ConfiguredApp B { get; }

    /// <summary>Starts both nodes; <paramref name="nodeA"/> and <paramref name="nodeB"/>, if given, change that node's services after the app's own.</summary>
    public static async Task<TwoNodes> StartAsync(Action<IServiceCollection>? nodeA = null, Action<IServiceCollection>? nodeB = null)
    {
        var database = await TestDatabase.CreatePostgresDatabaseAsync();
        ConfiguredApp? a = null, b = null;
        try
        {
            a = new ConfiguredApp(new() { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Default"] = database }, nodeA);
            await ((IAsyncLifetime)a).InitializeAsync();
            b = new ConfiguredApp(new()
            {
                ["Database:Provider"] = "Postgres",
                ["ConnectionStrings:Default"] = database,
                ["Attune:MasterKeyFile"] = Path.Combine(a.DataDirectory, "master.key"),
                ["Email:PickupDirectory"] = a.MailDirectory,
            }, nodeB);
            await ((IAsyncLifetime)b).InitializeAsync();
            await Task.WhenAll(a.Service<PostgresEventRelay>().Listening, b.Service<PostgresEventRelay>().Listening).WaitAsync(TimeSpan.FromSeconds(10));
            return new TwoNodes(database, a, b);
        }
        catch
        {
            await EndAsync(database, a, b);
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(EndAsync(_database, A, B));

    private static async Task EndAsync(string database, ConfiguredApp? a, ConfiguredApp? b)
    {
        if (b is not null) await ((IAsyncLifetime)b).DisposeAsync();
        if (a is not null) await ((IAsyncLifetime)a).DisposeAsync();
        await TestDatabase.DropPostgresDatabaseAsync(database);
    }
}
