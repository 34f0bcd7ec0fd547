using Matchmaker.Core.Events;
using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Storage;
using Matchmaker.Worker.Scoring;
using Quartz;

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

/// <summary>Registers the store, the Core services the jobs call, and Quartz with its persistent job store.</summary>
public static class WorkerSetup
{
    /// <summary>Store, clock and the Core services shared by the API and the worker.</summary>
    public static IServiceCollection AddMatchmakerCore(this IServiceCollection services, IConfiguration configuration)
    {
        var storeOptions = configuration.GetSection("Matchmaker:Store").Get<StoreOptions>() ?? new StoreOptions();
        services.AddSingleton(storeOptions);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Database>();
        services.AddSingleton(sp => TransientFaults.CreateRegistry(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventIds>();
        services.AddSingleton<JobStore>();
        services.AddSingleton(sp => (Polly.Registry.ResiliencePipelineProvider<string>)sp.GetRequiredService<Polly.Registry.ResiliencePipelineRegistry<string>>());
        services.AddSingleton<ParticipantWriter>();
        services.AddSingleton<ParticipantImporter>();
        services.AddSingleton<Matchmaker.Core.Samples.SampleExpoLoader>();
        services.AddSingleton(configuration.GetSection("Matchmaker:Scheduling").Get<Matchmaker.Core.Timetables.TimetableOptions>() ?? new());
        services.AddSingleton<Matchmaker.Core.Timetables.TimetableService>();
        services.AddSingleton<Matchmaker.Core.Requests.RequestService>();
        services.AddSingleton<Matchmaker.Core.Meetings.MeetingService>();
        services.AddScoring(configuration);
        return services;
    }

    /// <summary>
    /// Quartz with its ADO.NET store in the same SQLite file. <paramref name="runJobs"/> false registers a scheduler
    /// that is never started and only queues jobs (the API beside a separate worker process). Quartz refuses clustered
    /// mode on SQLite, so exactly one process runs jobs: the API by default, or the standalone worker.
    /// </summary>
    public static IServiceCollection AddMatchmakerWorker(this IServiceCollection services, IConfiguration configuration, bool runJobs)
    {
        var options = configuration.GetSection("Matchmaker:Worker").Get<WorkerOptions>() ?? new WorkerOptions();
        var storeOptions = configuration.GetSection("Matchmaker:Store").Get<StoreOptions>() ?? new StoreOptions();
        var connectionString = new Database(storeOptions).ConnectionString;
        services.AddSingleton(options);
        services.AddSingleton<BackgroundJobs>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "matchmaker";
                // Jobs queued by another process (the API beside a standalone worker) are seen at the next poll.
                o.IdleWaitTime = TimeSpan.FromSeconds(2);
            });
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = Math.Max(1, options.MaxConcurrency));
            q.UsePersistentStore(s =>
            {
                s.UseSqlite(connectionString);
                s.UseSystemTextJsonSerializer();
                s.ProvisionSchema();
            });
            q.AddScoringSchedules(configuration);
        });
        if (runJobs)
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
