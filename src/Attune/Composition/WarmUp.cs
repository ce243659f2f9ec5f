using Attune.Features.Activations;
using Attune.Features.Journal;
using Attune.Infrastructure;
using Microsoft.Extensions.Options;

namespace Attune.Composition;

/// <summary>
/// Once the app has started, compiles the insights queries (the heaviest set of queries) and the
/// journal search in the background against an id that owns nothing, so the first person after a
/// deploy doesn't wait for query plans and JIT. Reads nothing personal and writes nothing. <c>Attune:WarmUp=false</c>
/// turns it off (the tests do, to keep their many short-lived apps light).
/// </summary>
public sealed class WarmUp(IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<AttuneOptions> options, ILogger<WarmUp> logger) : IHostedService
{
    public const string NobodyId = "warm-up-owns-nothing";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WarmUp)
            lifetime.ApplicationStarted.Register(() => _ = Task.Run(() => RunAsync(lifetime.ApplicationStopping)));
        return Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            using var scope = services.CreateScope();
            var insights = scope.ServiceProvider.GetRequiredService<Insights>();
            var (period, _) = await insights.PeriodAsync(NobodyId, null, null, "all", ct);
            var result = await insights.ComputeAsync(NobodyId, period!, ct);
            // The answer's JSON shape too, so its serializer metadata is ready.
            var json = scope.ServiceProvider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            _ = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result, json);

            // Journal search: the index's reads and the page's entry query (which finds nothing).
            var db = scope.ServiceProvider.GetRequiredService<Data.AttuneDb>();
            var index = scope.ServiceProvider.GetRequiredService<JournalIndex>();
            var now = DateTimeOffset.UtcNow;
            _ = await index.MatchAsync(db, NobodyId, new JournalQuery("warm up", "letter", "tag", now.AddDays(-1), now), ct);
            _ = await index.EntriesAsync(db, scope.ServiceProvider.GetRequiredService<Journal>(), NobodyId, [Guid.Empty], ct);
            index.Forget(NobodyId);
        }
#pragma warning disable CA1031 // A warm-up that fails costs only speed; it must never stop the app.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning("Warm-up skipped: {ExceptionType}", e.GetType().FullName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
