using Matchmaker.Core.Matching;
using Matchmaker.Core.Notifications;
using Matchmaker.Core.Storage;
using Matchmaker.Hosting;
using Matchmaker.Worker.Notifications;
using Matchmaker.Worker.Scoring;
using Microsoft.Extensions.Options;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Which process registers the jobs: the API (runs them only when <see cref="WorkerOptions.InProcess"/>) or
/// the standalone worker (always runs them).</summary>
public enum JobsHost { Api, Worker }

/// <summary>
/// Registers the background jobs: Quartz with its ADO.NET store in the store's database, <see cref="BackgroundWork"/>
/// (how callers ask for work), and the nightly retraining. Quartz refuses clustered mode on SQLite, so there exactly one
/// process runs jobs: the API by default, or the standalone worker; a process that does not run them only queues them.
/// On PostgreSQL the store is clustered: any number of workers (and API processes with InProcess) run jobs together.
/// </summary>
public static class JobHosting
{
    public const string WorkerSection = "Matchmaker:Worker";
    public const string ScoringSection = "Matchmaker:Scoring";

    /// <summary>The jobs, on top of <see cref="CoreServices.AddMatchmakerCore"/>.</summary>
    public static IServiceCollection AddMatchmakerJobs(this IServiceCollection services, IConfiguration configuration, JobsHost host)
    {
        services.AddBoundOptions<WorkerOptions>(WorkerSection, o =>
        {
            if (o.MaxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxConcurrency), "must be at least 1");
            if (!(o.ClusterCheckinSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(o.ClusterCheckinSeconds), "must be positive");
            if (!(o.ClusterCheckinMisfireSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(o.ClusterCheckinMisfireSeconds), "must be positive");
        });
        services.AddBoundOptions<ScoringOptions>(ScoringSection, o =>
        {
            if (!(o.DebounceSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(o.DebounceSeconds), "must not be negative");
        });
        // The nightly schedule must be a cron expression Quartz accepts (Core checks the rest of the section).
        services.AddOptions<RecommenderTrainingOptions>().Validate(CoreServices.RecommenderSection, o =>
        {
            try { _ = new CronExpression(o.Schedule); }
            catch (FormatException e) { throw new ArgumentException($"'{o.Schedule}' is not a Quartz cron expression: {e.Message}", nameof(o.Schedule), e); }
        });

        services.AddSingleton<RescoringScheduler>();
        services.AddSingleton<BackgroundWork>();
        services.AddQuartz(q =>
        {
            // Quartz 4 takes its thread pool and connection string when it is registered, before the options above are
            // bound and validated: these two reads are the exception (the values are validated at start all the same).
            var worker = configuration.GetSection(WorkerSection).Get<WorkerOptions>() ?? new WorkerOptions();
            var store = configuration.GetSection(CoreServices.StoreSection).Get<StoreOptions>() ?? new StoreOptions();
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "matchmaker";
                // Jobs queued by another process (the API beside a standalone worker) are seen at the next poll.
                o.IdleWaitTime = TimeSpan.FromSeconds(2);
                // Clustered, each scheduler needs its own id: host and process id say which worker runs what
                // (qrtz_fired_triggers.instance_name); the random part keeps apart a restarted process that reuses an id
                // and two hosts in one process (the tests).
                if (store.IsPostgres) o.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
            });
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = Math.Max(1, worker.MaxConcurrency));
            q.UsePersistentStore(s =>
            {
                if (store.IsPostgres)
                {
                    // Several workers may share the database: clustered, so that each job runs on one of them and a dead
                    // worker's jobs (all marked RequestRecovery) are run again by another once its check-in is overdue
                    // (README, "Which job engine, measured").
                    s.UsePostgres(new Database(store).ConnectionString);
                    s.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(worker.ClusterCheckinSeconds);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(worker.ClusterCheckinMisfireSeconds);
                    });
                }
                else
                    s.UseSqlite(new Database(store).ConnectionString);
                s.UseSystemTextJsonSerializer();
                s.ProvisionSchema();
            });
        });
        services.AddSingleton(new HostedBy(host));
        services.AddHostedService<JobRunner>();
        return services;
    }

    /// <summary>Starts the scheduler in the process that runs jobs (with the nightly retraining), and on shutdown waits
    /// for running jobs to complete.</summary>
    sealed record HostedBy(JobsHost Host);

    sealed class JobRunner(ISchedulerFactory schedulerFactory, Database database, IOptions<WorkerOptions> worker, IOptions<RecommenderTrainingOptions> recommender,
        IOptions<NotificationOptions> notifications, HostedBy hostedBy) : IHostedService
    {
        IScheduler? _scheduler;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // The scheduler creates its tables when it is first asked for (ProvisionSchema). Processes starting together on
            // an empty PostgreSQL database would create them at the same moment, and concurrent CREATE TABLE IF NOT EXISTS
            // can fail there; under the migrations' lock one process creates them and the others find them. So every
            // process, including an API that only queues, asks for its scheduler here, before anything queues a job.
            var scheduler = await database.UnderSchemaLockAsync(async () => await schedulerFactory.GetScheduler(cancellationToken), cancellationToken);
            if (hostedBy.Host == JobsHost.Api && !worker.Value.InProcess) return;
            // Several workers may start together on one clustered store: each definition is written with "replace"
            // and each trigger with TriggerConflict.Replace, which the store decides under its lock (a read-then-insert
            // would let two workers both find a trigger absent and the second fail on the key).
            var key = new JobKey("nightly", RecommenderTraining.JobKind);
            var job = JobBuilder.Create<RetrainJob>().WithIdentity(key).StoreDurably().RequestRecovery().Build();
            var nightly = TriggerBuilder.Create().ForJob(key).WithIdentity("nightly", RecommenderTraining.JobKind)
                .WithCronSchedule(recommender.Value.Schedule, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(recommender.Value.TimeZone)))
                .Build();
            await scheduler.AddJob(job, AddJobOptions.Replacing, cancellationToken);
            await scheduler.ScheduleTrigger(nightly, TriggerConflict.Replace, cancellationToken);
            // The outbox is swept every few seconds, so what a change wrote is delivered even when no one asked (and what a
            // worker killed mid-run left pending is picked up again).
            await scheduler.AddJob(BackgroundWork.NotificationDeliveryJobDefinition(), AddJobOptions.Replacing, cancellationToken);
            var sweep = TriggerBuilder.Create().ForJob(NotificationDeliveryJob.Key).WithIdentity("sweep", NotificationDeliveryJob.Key.Group)
                .StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(notifications.Value.DeliverEverySeconds)).RepeatForever())
                .Build();
            await scheduler.ScheduleTrigger(sweep, TriggerConflict.Replace, cancellationToken);
            // Reminders and outcome links are due by the clock, not by a change: a sweep on a schedule writes them.
            var due = JobBuilder.Create<NotificationSweepJob>().WithIdentity(NotificationSweepJob.Key).StoreDurably().Build();
            await scheduler.AddJob(due, AddJobOptions.Replacing, cancellationToken);
            var dueSweep = TriggerBuilder.Create().ForJob(NotificationSweepJob.Key).WithIdentity("sweep-due", NotificationSweepJob.Key.Group)
                .StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(notifications.Value.SweepEverySeconds)).RepeatForever())
                .Build();
            await scheduler.ScheduleTrigger(dueSweep, TriggerConflict.Replace, cancellationToken);
            await scheduler.Start(cancellationToken);
            _scheduler = scheduler;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_scheduler is not null) await _scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
        }
    }
}
