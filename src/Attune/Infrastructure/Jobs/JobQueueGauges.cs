using System.Diagnostics.Metrics;
using Attune.Data;
using Attune.Infrastructure.Observability;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Jobs;

/// <summary>
/// The job table as an operator watches it: how many jobs are due and not done, and how long the
/// oldest of them has been waiting past its time (a growing age means the workers are stuck or
/// away). Read from the database when metrics are collected, at most once a second; every node
/// reports the same table.
/// </summary>
public sealed class JobQueueGauges
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private (long Depth, double OldestSeconds)? _last;
    private long _readAt = long.MinValue;

    public JobQueueGauges(IServiceScopeFactory scopes, TimeProvider clock, AttuneMeters meters)
    {
        _scopes = scopes;
        _clock = clock;
        meters.Gauge<long>("attune.jobs.queue.depth", "{job}", "Jobs due and not yet done",
            () => Read() is { } q ? [new Measurement<long>(q.Depth)] : []);
        meters.Gauge<double>("attune.jobs.queue.oldest_age", "s", "How long the oldest due job has waited past its due time (0 when none is waiting)",
            () => Read() is { } q ? [new Measurement<double>(q.OldestSeconds)] : []);
    }

    private (long Depth, double OldestSeconds)? Read()
    {
        lock (_lock)
        {
            var ticks = _clock.GetTimestamp();
            if (_last is not null && _clock.GetElapsedTime(_readAt, ticks) < TimeSpan.FromSeconds(1)) return _last;
            try
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
                var now = _clock.GetUtcNow().UtcDateTime;
                var due = db.Set<Job>().AsNoTracking().Where(j => j.DoneAt == null && j.DueAt <= now);
                var depth = due.LongCount();
                var oldest = due.OrderBy(j => j.DueAt).Select(j => (DateTime?)j.DueAt).FirstOrDefault();
                _last = (depth, oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0);
            }
#pragma warning disable CA1031 // The database may be away for a moment: this collection goes without the job gauges.
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                _last = null;
            }
            _readAt = ticks;
            return _last;
        }
    }
}
