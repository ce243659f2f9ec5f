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
    private readonly DatabaseReading<(long Depth, double OldestSeconds)> _queue;

    public JobQueueGauges(IServiceScopeFactory scopes, TimeProvider clock, AttuneMeters meters)
    {
        _queue = new(scopes, clock, Read);
        meters.Gauge<long>("attune.jobs.queue.depth", "{job}", "Jobs due and not yet done",
            () => _queue.Value() is { } q ? [new Measurement<long>(q.Depth)] : []);
        meters.Gauge<double>("attune.jobs.queue.oldest_age", "s", "How long the oldest due job has waited past its due time (0 when none is waiting)",
            () => _queue.Value() is { } q ? [new Measurement<double>(q.OldestSeconds)] : []);
    }

    private static (long Depth, double OldestSeconds) Read(AttuneDb db, DateTime now)
    {
        var due = db.Set<Job>().AsNoTracking().Where(j => j.DoneAt == null && j.DueAt <= now);
        var depth = due.LongCount();
        var oldest = due.OrderBy(j => j.DueAt).Select(j => (DateTime?)j.DueAt).FirstOrDefault();
        return (depth, oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0);
    }
}
