using Matchmaker.Core.Import;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Imports one uploaded participant file (see <see cref="ParticipantImporter"/>).</summary>
public sealed class ImportJob(ParticipantImporter importer, Scoring.RescoringScheduler rescoring) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await importer.RunJobAsync(context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)!, cancellationToken);
        await rescoring.RequestAfterImportAsync(context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)!, cancellationToken);
    }
}
