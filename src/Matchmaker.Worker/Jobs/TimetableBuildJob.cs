using Matchmaker.Core.Jobs;
using Matchmaker.Core.Timetables;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Builds a draft timetable for an event (see <see cref="TimetableService.BuildDraftJobAsync"/>), run as
/// <see cref="JobRuns"/> says.</summary>
public sealed class TimetableBuildJob(TimetableService timetables, JobStore jobs, ILogger<TimetableBuildJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var jobId = context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)!;
        await JobRuns.RunAsync(jobs, jobId, context, () => timetables.BuildDraftJobAsync(jobId, cancellationToken), logger, cancellationToken);
    }
}
