using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Worker.Jobs;
using Quartz;

namespace Matchmaker.Worker.Scoring;

/// <summary>Retrains the recommender: nightly (no job id yet: it records one) or on demand (the API's job id).</summary>
[DisallowConcurrentExecution]
public sealed class RetrainJob(RecommenderTraining training, JobStore jobs, RescoringScheduler rescoring) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await training.RunJobAsync(context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)
            ?? await jobs.CreateAsync(RecommenderTraining.JobKind, null, null, cancellationToken), cancellationToken);
        // A new model changes the collaborative component: events that have scores get them recomputed (debounced).
        await rescoring.RequestScoredEventsAsync(cancellationToken);
    }
}
