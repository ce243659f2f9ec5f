using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Attune.Infrastructure.Bench;

/// <summary>
/// What the page benchmark needs inside the app, all of it off unless <c>Attune:Bench=true</c>:
/// the bare signed-in ceiling page (<c>/bench/bare</c>), and counts of the database commands each
/// request runs with the process's allocations (<c>/bench/stats</c>). With the setting off (the
/// default, and every real deployment) neither route exists and no command is counted.
/// </summary>
public static class BenchSupport
{
    public const string Setting = "Attune:Bench";

    public static bool Enabled(IConfiguration config) => config.GetValue<bool>(Setting);

    /// <summary>Counts the commands of each request (by path) while the benchmark runs.</summary>
    public static IApplicationBuilder UseBenchCounters(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var counter = new QueryCounter.Box();
        QueryCounter.Current.Value = counter;
        try { await next(); }
        finally
        {
            QueryCounter.Current.Value = null;
            if (!context.Request.Path.StartsWithSegments("/bench/stats"))
                QueryCounter.Record(context.Request.Path.Value ?? "", counter.Count);
        }
    });

    public static IEndpointRouteBuilder MapBenchStats(this IEndpointRouteBuilder app)
    {
        // Counts and process totals only: no person, no text.
        app.MapGet("/bench/stats", () => TypedResults.Ok(new
        {
            paths = QueryCounter.ByPath.ToDictionary(kv => kv.Key, kv => new { requests = kv.Value.Requests, queries = kv.Value.Queries, last = kv.Value.Last }),
            allocatedBytes = GC.GetTotalAllocatedBytes(),
            gen0 = GC.CollectionCount(0),
            gen1 = GC.CollectionCount(1),
            gen2 = GC.CollectionCount(2),
            pauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
            heapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
            committedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes,
            gcMode = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
        })).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Removes the benchmark's pages (under /Features/Bench) from routing unless the setting is on.</summary>
    public sealed class PageConvention(bool enabled) : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model)
        {
            if (!enabled && model.ViewEnginePath.StartsWith("/Bench/", StringComparison.Ordinal)) model.Selectors.Clear();
        }
    }
}

/// <summary>Counts database commands for the request in progress (an async-local box set by <see cref="BenchSupport.UseBenchCounters"/>).</summary>
public sealed class QueryCounter : DbCommandInterceptor
{
    public static readonly QueryCounter Instance = new();

    internal sealed class Box { public int Count; }

    internal sealed class PathTotals { public long Requests; public long Queries; public int Last; }

    internal static readonly AsyncLocal<Box?> Current = new();
    internal static readonly ConcurrentDictionary<string, PathTotals> ByPath = new(StringComparer.Ordinal);

    internal static void Record(string path, int queries)
    {
        var totals = ByPath.GetOrAdd(path, _ => new PathTotals());
        Interlocked.Increment(ref totals.Requests);
        Interlocked.Add(ref totals.Queries, queries);
        totals.Last = queries;
    }

    private static void Count()
    {
        if (Current.Value is { } box) Interlocked.Increment(ref box.Count);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    { Count(); return result; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    { Count(); return ValueTask.FromResult(result); }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    { Count(); return result; }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    { Count(); return ValueTask.FromResult(result); }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    { Count(); return result; }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    { Count(); return ValueTask.FromResult(result); }
}
