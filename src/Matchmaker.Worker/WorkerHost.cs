using Matchmaker.Core.Storage;
using Matchmaker.Worker.Jobs;

namespace Matchmaker.Worker;

/// <summary>Runs the worker as its own process (for scale-out); the API hosts the same jobs in-process by default.</summary>
public static class WorkerHost
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddMatchmakerCore(builder.Configuration);
        builder.Services.AddMatchmakerWorker(builder.Configuration, runJobs: true);
        using var host = builder.Build();
        await host.Services.GetRequiredService<Database>().MigrateAsync(cancellationToken);
        await host.RunAsync(cancellationToken);
        return 0;
    }
}
