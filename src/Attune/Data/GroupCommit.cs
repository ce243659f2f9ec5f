using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Attune.Data;

/// <summary>
/// Group commit. Requests hand over finished changes (already sealed); one loop takes everything
/// waiting, applies it to one context and commits it as one transaction, so many writes share one
/// fsync (on SQLite, one turn of the single-writer gate; on PostgreSQL, one commit). Each request
/// is answered only after its transaction is durable, so an acknowledged write survives kill -9 and
/// power loss (SQLite synchronous=FULL; PostgreSQL's defaults). If a batch fails, its changes are
/// retried one by one, so one bad write never fails another person's. Measured in
/// docs/performance.md: on both databases it lifts journal saves above a bare one-row insert.
/// </summary>
public sealed class GroupCommit(IServiceScopeFactory scopes) : IAsyncDisposable
{
    private const int MaxBatch = 128;

    private sealed record Work(Action<AttuneDb> Apply, TaskCompletionSource Done);

    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _loop;
    private readonly Lock _start = new();

    /// <summary>Applies <paramref name="apply"/> to a context and saves it, durably, before returning.</summary>
    public async Task SaveAsync(Action<AttuneDb> apply, CancellationToken ct = default)
    {
        EnsureLoop();
        var work = new Work(apply, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(work, ct);
        // Once queued, the write happens even if this request goes away: the caller may not see the
        // answer, but the data is not left half-written.
        await work.Done.Task.WaitAsync(ct);
    }

    private void EnsureLoop()
    {
        if (_loop is not null) return;
        lock (_start) _loop ??= Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        var batch = new List<Work>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var work)) batch.Add(work);
            if (batch.Count == 0) continue;
            if (!await TrySaveAsync(batch) && batch.Count > 1)
            {
                foreach (var one in batch) await TrySaveAsync([one]);
            }
        }
    }

    private async Task<bool> TrySaveAsync(List<Work> batch)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            foreach (var work in batch) work.Apply(db);
            await db.SaveChangesAsync();
            foreach (var work in batch) work.Done.TrySetResult();
            return true;
        }
#pragma warning disable CA1031 // Any failure belongs to the requests in this batch, never to the loop that serves everyone.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (batch.Count == 1) batch[0].Done.TrySetException(e);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null) await _loop;
    }
}
