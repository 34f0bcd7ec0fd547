using Matchmaker.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Matchmaker.Api.Health;

/// <summary>Healthy when the store answers a query and its schema is at this program's version.</summary>
public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var version = await Migrations.CurrentVersionAsync(connection);
            return version == Migrations.Latest
                ? HealthCheckResult.Healthy($"{database.Dialect.Provider} at schema version {version}")
                : HealthCheckResult.Unhealthy($"schema version {version}, expected {Migrations.Latest}");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", exception);
        }
    }
}
