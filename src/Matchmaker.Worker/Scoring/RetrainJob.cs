using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Worker.Jobs;
using Quartz;

namespace Matchmaker.Worker.Scoring;

/// <summary>
/// Retrains the recommender: nightly (no job id yet: it records one, or skips when another training is running) or on
/// demand (the API's job id: it waits for a training running elsewhere). <c>DisallowConcurrentExecution</c> only keeps
/// apart two firings of one Quartz job while its worker checks in; the training's own lock (<see cref="RecommenderTraining"/>)
/// also covers a worker that was frozen and resumes, and the nightly run beside one asked for.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetrainJob(RecommenderTraining training, JobStore jobs, RescoringScheduler rescoring, ILogger<RetrainJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey) is { } jobId)
        {
            await JobRuns.RunAsync(jobs, jobId, context,
                () => training.RunJobAsync(jobId, cancellationToken, () => RetrainLog.Waiting(logger, jobId)), logger, cancellationToken);
            if ((await jobs.FindAsync(jobId, cancellationToken))?.State != JobState.Succeeded) return; // failed: no new model
        }
        else if (await training.RunNightlyAsync(cancellationToken) is null)
        {
            RetrainLog.NightlySkipped(logger);
            return;
        }
        // A new model changes the collaborative component: events that have scores get them recomputed (debounced).
        await rescoring.RequestScoredEventsAsync(cancellationToken);
    }
}

static partial class RetrainLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Retraining job {JobId} waits for the training running in this or another process to end")]
    public static partial void Waiting(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nightly retraining skipped: another training is running (in this or another process)")]
    public static partial void NightlySkipped(ILogger logger);
}
