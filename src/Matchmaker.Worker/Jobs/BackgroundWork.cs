using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Notifications;
using Matchmaker.Core.Timetables;
using Matchmaker.Worker.Notifications;
using Matchmaker.Worker.Scoring;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>
/// Background work asked for by intent: "build a timetable draft for event E", "import this file", "rescore event E",
/// "retrain the recommender". Each records a row in the jobs table and queues the job that does it; the answer is the
/// job id the caller can follow. The job engine (Quartz) is named here and in the jobs only, never by a caller.
/// </summary>
public sealed class BackgroundWork(ISchedulerFactory schedulerFactory, TimetableService timetables, ParticipantImporter importer,
    RescoringScheduler rescoring, JobStore jobs)
{
    /// <summary>Key of the jobs-table id in a queued job's data.</summary>
    internal const string JobIdKey = "jobId";

    /// <summary>Builds a draft timetable for the event.</summary>
    public async Task<string> BuildTimetableDraftAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        var jobId = await timetables.CreateBuildJobAsync(eventDbId, cancellationToken);
        await EnqueueAsync<TimetableBuildJob>(jobId, cancellationToken);
        return jobId;
    }

    /// <summary>Imports an uploaded participant file into the event (all or nothing); a successful import asks for a
    /// rescoring of the event.</summary>
    public async Task<string> ImportAsync(long eventDbId, ParticipantKind kind, string fileName, byte[] content, CancellationToken cancellationToken = default)
    {
        var jobId = await importer.CreateJobAsync(eventDbId, kind, fileName, content, cancellationToken);
        await EnqueueAsync<ImportJob>(jobId, cancellationToken);
        return jobId;
    }

    /// <summary>Rescores the event now.</summary>
    public Task<string> RescoreAsync(long eventDbId, CancellationToken cancellationToken = default) =>
        rescoring.RequestAsync(eventDbId, TimeSpan.Zero, cancellationToken);

    /// <summary>Rescores the event after the debounce interval (<see cref="ScoringOptions.DebounceSeconds"/>): several
    /// changes in quick succession give one run.</summary>
    public Task<string> RescoreAfterChangeAsync(long eventDbId, CancellationToken cancellationToken = default) =>
        rescoring.RequestAsync(eventDbId, cancellationToken);

    /// <summary>Retrains the recommender on every event's interactions now; scored events are then rescored.</summary>
    public async Task<string> RetrainRecommenderAsync(CancellationToken cancellationToken = default)
    {
        var jobId = await jobs.CreateAsync(RecommenderTraining.JobKind, null, null, cancellationToken);
        await EnqueueAsync<RetrainJob>(jobId, cancellationToken);
        return jobId;
    }

    /// <summary>Delivers the notifications waiting in the outbox now (they are also delivered every
    /// <see cref="NotificationOptions.DeliverEverySeconds"/> seconds by the process that runs jobs).</summary>
    public async Task DeliverNotificationsAsync(CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        if (await scheduler.GetJobDetail(NotificationDeliveryJob.Key, cancellationToken) is null)
            await scheduler.AddJob(NotificationDeliveryJobDefinition(), AddJobOptions.Replacing, cancellationToken);
        await scheduler.TriggerJob(NotificationDeliveryJob.Key, cancellationToken);
    }

    internal static IJobDetail NotificationDeliveryJobDefinition() =>
        JobBuilder.Create<NotificationDeliveryJob>().WithIdentity(NotificationDeliveryJob.Key).StoreDurably().RequestRecovery().Build();

    /// <summary>Runs <typeparamref name="TJob"/> once, now, for <paramref name="jobId"/>. It is stored durably and marked
    /// for recovery, so a worker that dies while running it runs it again when it restarts.</summary>
    async Task EnqueueAsync<TJob>(string jobId, CancellationToken cancellationToken) where TJob : IJob
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<TJob>()
            .WithIdentity(jobId, typeof(TJob).Name)
            .UsingJobData(JobIdKey, jobId)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(jobId, typeof(TJob).Name).StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }
}
