using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Imports one uploaded participant file (see <see cref="ParticipantImporter"/>), run as <see cref="JobRuns"/> says.</summary>
public sealed class ImportJob(ParticipantImporter importer, Scoring.RescoringScheduler rescoring, JobStore jobs, ILogger<ImportJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var jobId = context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)!;
        await JobRuns.RunAsync(jobs, jobId, context, () => importer.RunJobAsync(jobId, cancellationToken), logger, cancellationToken);
        await rescoring.RequestAfterImportAsync(jobId, cancellationToken);
    }
}
