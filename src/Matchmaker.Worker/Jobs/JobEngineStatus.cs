using Dapper;
using Matchmaker.Core.Storage;
using Matchmaker.Worker.Notifications;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>
/// One process that runs jobs, as the job engine's shared tables know it. <paramref name="CheckIn"/> is Quartz's verdict:
/// <c>alive</c>, <c>overdue</c> (its last check-in is late: a pause, a busy machine; it still owns its jobs) or
/// <c>failed</c> (late past the misfire threshold: the others take its jobs over). <paramref name="Alive"/> is any but
/// failed, the same line Quartz draws before it runs a node's jobs elsewhere.
/// </summary>
public sealed record JobNode(string Name, DateTimeOffset LastCheckIn, bool Alive, string CheckIn);

/// <summary>
/// What the job engine says about itself for the health endpoint: whether this process is configured to run jobs
/// (<see cref="WorkerOptions.InProcess"/>) and in what state its
/// scheduler is, whether the engine is clustered, the processes it knows of, and when the outbox sweep (a trigger every
/// few seconds in whichever process runs jobs) last fired, which tells an API that runs no jobs whether any worker does.
/// </summary>
public sealed record JobEngineReport(string Engine, bool RunsJobsHere, string SchedulerState, bool Clustered, IReadOnlyList<JobNode> Nodes,
    DateTimeOffset? SweepLastFiredAt)
{
    /// <summary>Whether some process (this one or another) is running jobs now.</summary>
    public bool AnyWorkerAlive { get; init; }
}

/// <summary>The seam between the health endpoint and the job engine: swapping the engine replaces the one implementation.</summary>
public interface IJobEngineStatus
{
    Task<JobEngineReport> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Quartz's view: the local scheduler's state, the cluster's nodes by their check-ins (PostgreSQL only: Quartz refuses
/// clustering on SQLite) and, from its tables in the store, the outbox sweep's last firing (<c>qrtz_triggers</c>, where
/// Quartz.NET keeps instants as UTC ticks), which is what shows a live worker on SQLite.
/// </summary>
public sealed class QuartzJobEngineStatus(ISchedulerFactory schedulers, Database database, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<WorkerOptions> worker, Microsoft.Extensions.Options.IOptions<Core.Notifications.NotificationOptions> notifications)
    : IJobEngineStatus
{
    public async Task<JobEngineReport> ReadAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        var clustered = (await scheduler.GetMetadata(cancellationToken)).JobStoreClustered;
        var now = clock.GetUtcNow();
        var nodes = new List<JobNode>();
        if (clustered)
            // Quartz reads the check-ins with the predicate its own recovery applies; this process is listed even when it
            // runs no jobs (an API beside workers), so it only counts when its scheduler runs.
            foreach (var node in await scheduler.QueryClusterNodes(cancellationToken))
                if (!node.IsCurrentNode || status == SchedulerStatus.Running)
                    nodes.Add(new JobNode(node.InstanceId, node.LastCheckInUtc ?? now, node.State != ClusterNodeState.Failed,
                        node.State.ToString().ToLowerInvariant()));
        await using var connection = await database.OpenAsync(cancellationToken);
        var fired = await connection.ExecuteScalarAsync<long?>(
            "SELECT prev_fire_time FROM qrtz_triggers WHERE sched_name = @name AND trigger_name = 'sweep' AND trigger_group = @group",
            new { name = scheduler.SchedulerName, group = NotificationDeliveryJob.Key.Group });
        DateTimeOffset? sweptAt = fired is > 0 ? new DateTimeOffset(fired.Value, TimeSpan.Zero) : null;
        var sweepFresh = sweptAt is { } s && now - s < TimeSpan.FromSeconds(3 * notifications.Value.DeliverEverySeconds + 10);
        return new JobEngineReport("quartz", worker.Value.InProcess, status.ToString().ToLowerInvariant(), clustered, nodes, sweptAt)
        {
            AnyWorkerAlive = status == SchedulerStatus.Running || nodes.Any(n => n.Alive) || sweepFresh,
        };
    }
}
