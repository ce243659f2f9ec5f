using Attune.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Attune.Infrastructure;

internal sealed class DatabaseHealthCheck(AttuneDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database is not reachable.");
}
