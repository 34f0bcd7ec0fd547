namespace Matchmaker.Worker.Jobs;

/// <summary>What the worker section of the configuration says (<c>Matchmaker:Worker</c>).</summary>
public sealed record WorkerOptions
{
    /// <summary>Run the jobs inside the API process (the default: one command runs everything). Set false when the
    /// worker runs as its own process; the API then only queues jobs in the shared store.</summary>
    public bool InProcess { get; init; } = true;

    /// <summary>Parallel jobs. SQLite has one writer at a time, so more threads mostly wait.</summary>
    public int MaxConcurrency { get; init; } = 2;

    /// <summary>On PostgreSQL (several workers, clustered): how often each worker records that it is alive.</summary>
    public double ClusterCheckinSeconds { get; init; } = 5;

    /// <summary>On PostgreSQL: how long past a missed check-in the other workers wait before they take a worker for dead and
    /// run its jobs again. A dead worker's jobs wait about check-in + this; a live worker paused longer than this (a long
    /// garbage collection, a frozen virtual machine) would see its job run a second time beside it, so keep it above the
    /// longest pause the machines have.</summary>
    public double ClusterCheckinMisfireSeconds { get; init; } = 15;
}
