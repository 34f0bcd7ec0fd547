using Matchmaker.Core.Storage;
using Matchmaker.Hosting;
using Matchmaker.Worker.Jobs;

namespace Matchmaker.Worker;

/// <summary>
/// The worker as its own process (for scale-out): it runs the background jobs that the API queues in the shared store.
/// The API hosts the same jobs in-process by default (<c>Matchmaker:Worker:InProcess</c>); the commands (benchmarks,
/// evaluations, the standalone scheduler, the sample generator) are in tools/Matchmaker.Tools.
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        // Its settings are copied beside the dll by both build and publish: read them there, whatever folder it starts from.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddMatchmakerCore();
        builder.Services.AddMatchmakerJobs(builder.Configuration, JobsHost.Worker);
        using var host = builder.Build();
        await host.Services.GetRequiredService<Database>().MigrateAsync();
        await host.RunAsync();
    }
}
