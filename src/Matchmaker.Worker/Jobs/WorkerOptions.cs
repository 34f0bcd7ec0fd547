namespace Matchmaker.Worker.Jobs;

/// <summary>What the worker section of the configuration says (<c>Matchmaker:Worker</c>).</summary>
public sealed record WorkerOptions
{
    /// <summary>Run the jobs inside the API process (the default: one command runs everything). Set false when the
    /// worker runs as its own process; the API then only queues jobs in the shared store.</summary>
    public bool InProcess { get; init; } = true;

    /// <summary>Parallel jobs. SQLite has one writer at a time, so more threads mostly wait.</summary>
    public int MaxConcurrency { get; init; } = 2;
}
