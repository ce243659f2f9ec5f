using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Jobs;

/// <summary>
/// Runs due jobs from the <see cref="Job"/> table. Each is claimed with a conditional update (so
/// with several nodes only one runs it), may reschedule itself, and on failure is retried with a
/// growing wait (five attempts). Times come from TimeProvider, so tests can move the clock.
/// Jobs run in lanes that never wait for each other: a reach moving on to the next person is
/// never queued behind emails being sent or reminders going out. Nothing in the reach lane
/// talks to the network; push notices and emails are handed to their own queues.
/// Which kinds there are, their lanes and their handlers come from the features' registrations
/// (<see cref="JobsSetup.AddJobHandler{THandler}"/>); a kind nobody registered is never run.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, TimeProvider clock, Observability.AttuneMeters meters, IEnumerable<JobKind> registered, ILogger<JobRunner> logger) : IDisposable
{
    public const int MaxAttempts = 5;
    public const int MaxKindLength = 32;

    /// <summary>
    /// How long a claim holds. A node that dies mid-job leaves its claim; another node runs the job
    /// once the lease is over. Longer than any one job takes (an email's SMTP timeout is 15 s).
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    // Whole milliseconds, so the lease reads back equal from either database (PostgreSQL keeps microseconds).
    private static DateTime Truncated(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, t.Kind);

    // Kinds first: two handlers for one kind stop the app before anything else is set up.
    private readonly Dictionary<string, JobKind> _kinds = ByKind(registered);
    private readonly JobQueueGauges _gauges = new(scopes, clock, meters);

    /// <summary>Which kinds each lane runs.</summary>
    public IReadOnlyDictionary<string, string[]> Lanes { get; } = registered.GroupBy(k => k.Lane).ToDictionary(g => g.Key, g => g.Select(k => k.Kind).ToArray());

    private static Dictionary<string, JobKind> ByKind(IEnumerable<JobKind> kinds)
    {
        var byKind = new Dictionary<string, JobKind>();
        foreach (var kind in kinds)
            if (!byKind.TryAdd(kind.Kind, kind)) throw new InvalidOperationException($"Two handlers are registered for the job kind '{kind.Kind}'.");
        return byKind;
    }

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks the worker to look for due jobs now rather than at its next tick (a job was just queued on this node).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount > 0) return;
        try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>Waits until <see cref="Wake"/> is called or <paramref name="timeout"/> passes.</summary>
    internal Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    /// <summary>Runs every lane's due jobs, the lanes side by side (tests call this after moving the clock).</summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default) =>
        (await Task.WhenAll(Lanes.Keys.Select(lane => RunDueAsync(lane, ct)))).Sum();

    public async Task<int> RunDueAsync(string lane, CancellationToken ct = default)
    {
        var kinds = Lanes[lane];
        var ran = 0;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<Job>().AsNoTracking().Where(j => j.DoneAt == null && j.DueAt <= now && (j.ClaimedUntil == null || j.ClaimedUntil < now) && kinds.Contains(j.Kind))
            .OrderBy(j => j.DueAt).Select(j => j.Id).Take(50).ToListAsync(ct);
        foreach (var id in due)
        {
            // The claim is this node's lease on the job: until it ends nobody else runs it. Its time is
            // read now, not when the list was read (a lane that spent minutes on earlier jobs would
            // otherwise claim this one with a lease already over), and the job must still be due: one
            // that another node ran and moved on since the list was read is not run again early.
            var claimedAt = clock.GetUtcNow().UtcDateTime;
            var lease = Truncated(claimedAt + Lease);
            int claimed;
            using (await gate.EnterAsync(ct))
            {
                claimed = await db.Set<Job>().Where(j => j.Id == id && j.DoneAt == null && j.DueAt <= claimedAt && (j.ClaimedUntil == null || j.ClaimedUntil < claimedAt))
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUntil, lease), ct);
            }
            if (claimed == 0) continue; // another node took it, or ran it already
            using var jobScope = scopes.CreateScope();
            var jobDb = jobScope.ServiceProvider.GetRequiredService<AttuneDb>();
            var job = await jobDb.Set<Job>().AsNoTracking().FirstAsync(j => j.Id == id, ct);
            DateTime dueAt;
            DateTime? doneAt;
            var attempts = job.Attempts;
            try
            {
                var handler = (IJobHandler)jobScope.ServiceProvider.GetRequiredService(_kinds[job.Kind].Handler);
                var again = await handler.RunAsync(job.Subject, ct);
                if (jobDb.ChangeTracker.HasChanges()) await jobDb.SaveChangesAsync(ct); // anything the handler left unsaved
                (dueAt, doneAt) = again is { } next ? (next, null) : (job.DueAt, (DateTime?)clock.GetUtcNow().UtcDateTime);
                ran++;
            }
#pragma warning disable CA1031 // A failing job is retried later; it must not stop the others.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                jobDb.ChangeTracker.Clear();
                attempts++;
                var failedAt = clock.GetUtcNow().UtcDateTime;
                (dueAt, doneAt) = (failedAt.AddSeconds(30 * attempts), attempts >= MaxAttempts ? failedAt : null);
                logger.LogWarning("Job {Kind} {JobId} failed ({ExceptionType}), attempt {Attempt}", job.Kind, job.Id, e.GetType().FullName, attempts);
            }
            // Only while the lease is still this node's: a node that ran past its lease (another has
            // claimed the job since) leaves the row to the node that holds it now.
            int kept;
            using (await gate.EnterAsync(ct))
            {
                kept = await jobDb.Set<Job>().Where(j => j.Id == id && j.ClaimedUntil == lease)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.DueAt, dueAt).SetProperty(j => j.DoneAt, doneAt).SetProperty(j => j.Attempts, attempts).SetProperty(j => j.ClaimedUntil, (DateTime?)null), ct);
            }
            if (kept == 0) logger.LogWarning("Job {Kind} {JobId} ran past its lease; another node holds it now", job.Kind, job.Id);
        }
        return ran;
    }

    public void Dispose() => _wake.Dispose();
}

/// <summary>Checks for due jobs every second (and at once when a job is queued here), each lane on its own.</summary>
public sealed class JobWorker(JobRunner jobs, ILogger<JobWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = jobs.Lanes.Keys.ToDictionary(lane => lane, _ => Task.CompletedTask);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A lane still busy from the last look keeps going; the others start a new round.
            foreach (var lane in jobs.Lanes.Keys)
                if (running[lane].IsCompleted) running[lane] = RunLaneAsync(lane, stoppingToken);
            try { await jobs.WaitForWorkAsync(TimeSpan.FromSeconds(1), stoppingToken); } catch (OperationCanceledException) { }
        }
        try { await Task.WhenAll(running.Values); } catch (OperationCanceledException) { }
    }

    private async Task RunLaneAsync(string lane, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await jobs.RunDueAsync(lane, ct);
        }
#pragma warning disable CA1031 // The database may be briefly away; try again next second.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning("Job check failed: {ExceptionType}", e.GetType().FullName);
        }
    }
}
