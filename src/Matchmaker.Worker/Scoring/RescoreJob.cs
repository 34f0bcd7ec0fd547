using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Worker.Jobs;
using Quartz;

namespace Matchmaker.Worker.Scoring;

/// <summary>Rescores one event. One Quartz job per event (key <c>rescoring.event-{id}</c>), so Quartz never runs two
/// rescorings of the same event at once; different events may run side by side.</summary>
[DisallowConcurrentExecution]
public sealed class RescoreJob(RescoringService rescoring, JobStore jobs, ILogger<RescoreJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var jobId = context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)
            // A recovery firing after a crash may come without the trigger's data: take the event's unfinished job.
            ?? await rescoring.UnfinishedJobAsync(long.Parse(context.JobDetail.Key.Name["event-".Length..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        // A worker taken for dead may still be rescoring the event; a run that throws is not left running (JobRuns).
        await JobRuns.RunAsync(jobs, jobId, context, () => rescoring.RunJobAsync(jobId, cancellationToken), logger, cancellationToken);
    }
}
