using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Queues Quartz jobs for work recorded in the jobs table; the job id ties the two together.</summary>
public sealed class BackgroundJobs(ISchedulerFactory schedulerFactory)
{
    public const string JobIdKey = "jobId";

    /// <summary>Runs <typeparamref name="TJob"/> once, now, for <paramref name="jobId"/>. It is stored durably and marked
    /// for recovery, so a worker that dies while running it runs it again when it restarts.</summary>
    public async Task EnqueueAsync<TJob>(string jobId, CancellationToken cancellationToken = default) where TJob : IJob
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
