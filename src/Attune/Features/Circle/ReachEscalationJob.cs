using Attune.Infrastructure.Jobs;

namespace Attune.Features.Circle;

/// <summary>Moves an unanswered reach on to the next person (<see cref="Reaches.EscalateAsync"/>), in the reach lane, which never waits on the network.</summary>
internal sealed class ReachEscalationJob(Reaches reaches) : IJobHandler
{
    public const string Lane = "reach";

    public Task<DateTime?> RunAsync(Guid subject, CancellationToken ct) => reaches.EscalateAsync(subject, ct);
}
