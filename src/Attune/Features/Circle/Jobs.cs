using Attune.Data;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Circle;

/// <summary>
/// Runs due jobs from the <see cref="Job"/> table. Each is claimed with a conditional update (so
/// with several nodes only one runs it), may reschedule itself, and on failure is retried with a
/// growing wait (five attempts). Times come from TimeProvider, so tests can move the clock.
/// </summary>
public sealed class Jobs(IServiceScopeFactory scopes, TimeProvider clock, Infrastructure.Observability.AttuneMeters meters, ILogger<Jobs> logger)
{
    public const int MaxAttempts = 5;

    private readonly JobQueueGauges _gauges = new(scopes, clock, meters);

    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        var ran = 0;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        var gate = scope.ServiceProvider.GetRequiredService<WriteGate>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Set<Job>().AsNoTracking().Where(j => j.DoneAt == null && j.DueAt <= now && (j.ClaimedUntil == null || j.ClaimedUntil < now))
            .OrderBy(j => j.DueAt).Select(j => j.Id).Take(50).ToListAsync(ct);
        foreach (var id in due)
        {
            int claimed;
            using (await gate.EnterAsync(ct))
            {
                claimed = await db.Set<Job>().Where(j => j.Id == id && j.DoneAt == null && (j.ClaimedUntil == null || j.ClaimedUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUntil, now.AddMinutes(2)), ct);
            }
            if (claimed == 0) continue; // another node took it
            using var jobScope = scopes.CreateScope();
            var jobDb = jobScope.ServiceProvider.GetRequiredService<AttuneDb>();
            var job = await jobDb.Set<Job>().FirstAsync(j => j.Id == id, ct);
            try
            {
                DateTime? again = job.Kind switch
                {
                    Reaches.EscalateJob => await jobScope.ServiceProvider.GetRequiredService<Reaches>().EscalateAsync(job.Subject, ct),
                    Care.Appointments.ReminderJob => await jobScope.ServiceProvider.GetRequiredService<Care.Appointments>().RemindAsync(job.Subject, ct),
                    Care.CareAssignments.ReminderKind => await jobScope.ServiceProvider.GetRequiredService<Care.CareAssignments>().RemindAsync(job.Subject, ct),
                    _ => null,
                };
                if (again is { } next) job.DueAt = next;
                else job.DoneAt = clock.GetUtcNow().UtcDateTime;
                job.ClaimedUntil = null;
                ran++;
            }
#pragma warning disable CA1031 // A failing job is retried later; it must not stop the others.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                jobDb.ChangeTracker.Clear();
                job = await jobDb.Set<Job>().FirstAsync(j => j.Id == id, ct);
                job.Attempts++;
                job.ClaimedUntil = null;
                job.DueAt = clock.GetUtcNow().UtcDateTime.AddSeconds(30 * job.Attempts);
                if (job.Attempts >= MaxAttempts) job.DoneAt = clock.GetUtcNow().UtcDateTime;
                logger.LogWarning("Job {Kind} {JobId} failed ({ExceptionType}), attempt {Attempt}", job.Kind, job.Id, e.GetType().FullName, job.Attempts);
            }
            await jobDb.SaveChangesAsync(ct);
        }
        return ran;
    }
}

/// <summary>Checks for due jobs every second.</summary>
public sealed class JobWorker(Jobs jobs, ILogger<JobWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await jobs.RunDueAsync(stoppingToken);
            }
#pragma warning disable CA1031 // The database may be briefly away; try again next second.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                logger.LogWarning("Job check failed: {ExceptionType}", e.GetType().FullName);
            }
            try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); } catch (OperationCanceledException) { }
        }
    }
}
