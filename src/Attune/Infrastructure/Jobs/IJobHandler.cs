namespace Attune.Infrastructure.Jobs;

/// <summary>
/// Runs one kind of <see cref="Job"/> for its subject. A feature registers a handler for each of
/// its kinds in its own setup with <see cref="JobsSetup.AddJobHandler{THandler}"/>; the queue
/// resolves it in a fresh scope per job, so a handler may take scoped services.
/// </summary>
public interface IJobHandler
{
    /// <summary>Does the work. Returns when to run again for the same subject, or null when the job is done; throws to be retried.</summary>
    Task<DateTime?> RunAsync(Guid subject, CancellationToken ct);
}

/// <summary>One registered kind: its name in <see cref="Job.Kind"/>, the lane it runs in, and its handler.</summary>
public sealed record JobKind(string Kind, string Lane, Type Handler);
