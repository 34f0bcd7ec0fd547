using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Imports one uploaded participant file (see <see cref="ParticipantImporter"/>), never beside another run of the
/// same job (<see cref="JobStore.RunAloneAsync"/>).</summary>
public sealed class ImportJob(ParticipantImporter importer, Scoring.RescoringScheduler rescoring, JobStore jobs, ILogger<ImportJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var jobId = context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)!;
        await jobs.RunAloneAsync(jobId, () => importer.RunJobAsync(jobId, cancellationToken), () => RunLog.Waiting(logger, jobId), cancellationToken);
        await rescoring.RequestAfterImportAsync(jobId, cancellationToken);
    }
}

/// <summary>What a job run logs about the other runs of its job.</summary>
static partial class RunLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is already running in another process; this run waits until that one has ended")]
    public static partial void Waiting(ILogger logger, string jobId);
}
