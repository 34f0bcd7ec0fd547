using Matchmaker.Worker.Jobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Matchmaker.Api.Health;

/// <summary>
/// Healthy when jobs run: here with a started scheduler when this process runs them, or in some worker process otherwise.
/// Unhealthy when this process should run jobs and its scheduler does not; degraded (still serving) when no process runs
/// jobs, since everything but queued work (builds, imports, scoring, mail) still answers.
/// </summary>
public sealed class JobEngineHealthCheck(IJobEngineStatus engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        JobEngineReport report;
        try
        {
            report = await engine.ReadAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("the job engine does not answer", exception);
        }
        var data = new Dictionary<string, object>
        {
            ["engine"] = report.Engine,
            ["runsJobsHere"] = report.RunsJobsHere,
            ["scheduler"] = report.SchedulerState,
            ["clustered"] = report.Clustered,
            ["nodes"] = report.Nodes,
            ["aliveNodes"] = report.Nodes.Count(n => n.Alive),
            ["anyWorkerAlive"] = report.AnyWorkerAlive,
        };
        if (report.SweepLastFiredAt is { } swept) data["outboxSweepLastFiredAt"] = swept;
        var where = report.Clustered ? $"{report.Nodes.Count(n => n.Alive)} of {report.Nodes.Count} clustered nodes alive" : "not clustered";
        if (report.RunsJobsHere && report.SchedulerState != "running")
            return HealthCheckResult.Unhealthy($"{report.Engine} should run jobs here but its scheduler is {report.SchedulerState} ({where})", data: data);
        if (!report.AnyWorkerAlive)
            return HealthCheckResult.Degraded($"no process runs jobs: queued work waits ({report.Engine}, {where})", data: data);
        return HealthCheckResult.Healthy(report.RunsJobsHere
            ? $"{report.Engine} scheduler running in this process ({where})"
            : $"jobs run in worker processes ({report.Engine}, {where})", data);
    }
}
