using Dapper;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Storage;
using Matchmaker.Worker.Jobs;
using Quartz;

namespace Matchmaker.Worker.Scoring;

/// <summary>Rescores one event. One Quartz job per event (key <c>rescoring.event-{id}</c>), so Quartz never runs two
/// rescorings of the same event at once; different events may run side by side.</summary>
[DisallowConcurrentExecution]
public sealed class RescoreJob(RescoringService rescoring) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await rescoring.RunJobAsync(context.MergedJobDataMap.GetString(BackgroundJobs.JobIdKey)
            // A recovery firing after a crash may come without the trigger's data: take the event's unfinished job.
            ?? await rescoring.UnfinishedJobAsync(long.Parse(context.JobDetail.Key.Name["event-".Length..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken),
            cancellationToken);
}

/// <summary>Retrains the recommender: nightly (no job id yet: it records one) or on demand (the API's job id).</summary>
[DisallowConcurrentExecution]
public sealed class RetrainJob(RecommenderTraining training, JobStore jobs, RescoringScheduler rescoring) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await training.RunJobAsync(context.MergedJobDataMap.GetString(BackgroundJobs.JobIdKey)
            ?? await jobs.CreateAsync(RecommenderTraining.JobKind, null, null, cancellationToken), cancellationToken);
        // A new model changes the collaborative component: events that have scores get them recomputed (debounced).
        await rescoring.RequestScoredEventsAsync(cancellationToken);
    }
}

/// <summary>Settings of scoring (section <c>Matchmaker:Scoring</c>).</summary>
public sealed record ScoringOptions
{
    /// <summary>Quiet time after a change before an event is rescored (default 2 s): an import of demands followed by
    /// one of SMEs, or an analyst switching profiles twice, gives one run, not several.</summary>
    public double DebounceSeconds { get; init; } = 2;
}

/// <summary>
/// Asks for an event's rescoring. Every request (re)schedules the event's one trigger a debounce interval ahead and
/// returns the id of the queued job that will do the work (the same id while a request is still waiting).
/// </summary>
public sealed class RescoringScheduler(ISchedulerFactory schedulerFactory, JobStore jobs, Database database, ScoringOptions options, TimeProvider clock)
{
    public static JobKey JobKeyFor(long eventDbId) => new($"event-{eventDbId}", "rescoring");

    public Task<string> RequestAsync(long eventDbId, CancellationToken cancellationToken = default) =>
        RequestAsync(eventDbId, TimeSpan.FromSeconds(options.DebounceSeconds), cancellationToken);

    public async Task<string> RequestAsync(long eventDbId, TimeSpan delay, CancellationToken cancellationToken)
    {
        string? jobId;
        await using (var connection = await database.OpenAsync(cancellationToken))
            jobId = await connection.ExecuteScalarAsync<string?>("""
                SELECT id FROM jobs WHERE event_id = @eventDbId AND kind = @JobKind AND state = 'queued'
                ORDER BY created_at DESC, id DESC LIMIT 1
                """, new { eventDbId, RescoringService.JobKind });
        jobId ??= await jobs.CreateAsync(RescoringService.JobKind, eventDbId, null, cancellationToken);

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var jobKey = JobKeyFor(eventDbId);
        var triggerKey = new TriggerKey(jobKey.Name, jobKey.Group);
        var trigger = TriggerBuilder.Create().WithIdentity(triggerKey).ForJob(jobKey)
            .UsingJobData(BackgroundJobs.JobIdKey, jobId)
            .StartAt(clock.GetUtcNow() + delay)
            .Build();
        try
        {
            if (!await scheduler.Exists(jobKey, cancellationToken))
            {
                var job = JobBuilder.Create<RescoreJob>().WithIdentity(jobKey).StoreDurably().RequestRecovery().Build();
                await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
            }
            else if (await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken) is null)
                await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another request created the job or the trigger between our check and our write: move its trigger instead.
            await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken);
        }
        return jobId;
    }

    /// <summary>After an import job: a successful import of demands or SMEs (or buyers) changes what the event's
    /// scores are made of, so its rescoring is requested (debounced).</summary>
    public async Task RequestAfterImportAsync(string importJobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(importJobId, cancellationToken);
        if (job is not { State: JobState.Succeeded }) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        var eventDbId = await connection.ExecuteScalarAsync<long?>("SELECT event_id FROM jobs WHERE id = @importJobId", new { importJobId });
        if (eventDbId is not null) await RequestAsync(eventDbId.Value, cancellationToken);
    }

    /// <summary>Requests a rescoring of every event that has scores (after the recommender was retrained).</summary>
    public async Task RequestScoredEventsAsync(CancellationToken cancellationToken)
    {
        List<long> events;
        await using (var connection = await database.OpenAsync(cancellationToken))
            events = (await connection.QueryAsync<long>("SELECT event_id FROM score_runs ORDER BY event_id")).ToList();
        foreach (var eventDbId in events) await RequestAsync(eventDbId, cancellationToken);
    }

    /// <summary>Queues an on-demand retraining of the recommender; returns its job id.</summary>
    public async Task<string> RequestTrainingAsync(BackgroundJobs background, CancellationToken cancellationToken)
    {
        var jobId = await jobs.CreateAsync(RecommenderTraining.JobKind, null, null, cancellationToken);
        await background.EnqueueAsync<RetrainJob>(jobId, cancellationToken);
        return jobId;
    }
}

/// <summary>Registers scoring: Core services, the rescoring scheduler, and the nightly retraining.</summary>
public static class ScoringSetup
{
    public static IServiceCollection AddScoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Matchmaker:Scoring").Get<ScoringOptions>() ?? new ScoringOptions());
        var recommender = configuration.GetSection("Matchmaker:Recommender").Get<RecommenderTrainingOptions>() ?? new RecommenderTrainingOptions();
        recommender.Als.Validate();
        recommender.Signals.Validate();
        recommender.PairModel.Validate();
        try
        {
            _ = new CronExpression(recommender.Schedule);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"Matchmaker:Recommender:Schedule '{recommender.Schedule}' is not a Quartz cron expression: {e.Message}", e);
        }
        services.AddSingleton(recommender);
        services.AddSingleton<WeightProfileStore>();
        services.AddSingleton<ScoreStore>();
        services.AddSingleton<RescoringService>();
        services.AddSingleton<RecommenderTraining>();
        services.AddSingleton<ReplayEvaluation>();
        services.AddSingleton<RescoringScheduler>();
        return services;
    }

    /// <summary>The nightly retraining (cron from <see cref="RecommenderTrainingOptions.Schedule"/>).</summary>
    public static void AddScoringSchedules(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var options = configuration.GetSection("Matchmaker:Recommender").Get<RecommenderTrainingOptions>() ?? new RecommenderTrainingOptions();
        var key = new JobKey("nightly", RecommenderTraining.JobKind);
        quartz.AddJob<RetrainJob>(j => j.WithIdentity(key).StoreDurably().RequestRecovery());
        quartz.AddTrigger(t => t.ForJob(key).WithIdentity("nightly", RecommenderTraining.JobKind)
            .WithCronSchedule(options.Schedule, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone))));
    }
}
