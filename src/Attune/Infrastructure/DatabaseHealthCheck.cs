using Attune.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Attune.Infrastructure;

/// <summary>
/// One round trip on a pooled connection. (EF's CanConnect opens a fresh, unpooled read-only
/// SQLite handle every time, which made /health cost more than a signed-in page.)
/// </summary>
internal sealed class DatabaseHealthCheck(AttuneDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database is not reachable.");
        }
    }
}
