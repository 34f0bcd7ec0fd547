using Matchmaker.Core.Jobs;
using Matchmaker.Core.Timetables;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Builds a draft timetable for an event (see <see cref="TimetableService.BuildDraftJobAsync"/>), never beside
/// another run of the same job (<see cref="JobStore.RunAloneAsync"/>).</summary>
public sealed class TimetableBuildJob(TimetableService timetables, JobStore jobs, ILogger<TimetableBuildJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var jobId = context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)!;
        await jobs.RunAloneAsync(jobId, () => timetables.BuildDraftJobAsync(jobId, cancellationToken), () => RunLog.Waiting(logger, jobId), cancellationToken);
    }
}
