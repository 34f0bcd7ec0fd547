namespace Matchmaker.Worker;

/// <summary>Runs the worker as its own process (for scale-out); the API hosts the same jobs in-process by default.</summary>
public static class WorkerHost
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(args);
        using var host = builder.Build();
        await host.RunAsync(cancellationToken);
        return 0;
    }
}
