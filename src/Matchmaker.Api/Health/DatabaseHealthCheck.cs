using Matchmaker.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Matchmaker.Api.Health;

/// <summary>Healthy when the store answers a query and its schema is at this program's version; on PostgreSQL degraded
/// while this process does not hear the other processes' changes (it then serves nothing from its caches, slower but right).</summary>
public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var version = await Migrations.CurrentVersionAsync(connection);
            var data = new Dictionary<string, object> { ["provider"] = database.Dialect.Provider, ["schemaVersion"] = version };
            if (database.Changes.SeesOtherProcesses) data["changeNotifications"] = database.Changes.Trusted ? "listening" : "down";
            if (version != Migrations.Latest)
                return HealthCheckResult.Unhealthy($"schema version {version}, expected {Migrations.Latest}", data: data);
            return database.Changes.Trusted
                ? HealthCheckResult.Healthy($"{database.Dialect.Provider} at schema version {version}", data)
                : HealthCheckResult.Degraded($"{database.Dialect.Provider} at schema version {version}; not listening for other processes' changes", data: data);
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", exception);
        }
    }
}
