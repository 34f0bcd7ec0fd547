using Matchmaker.Core.Timetables;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>Builds a draft timetable for an event (see <see cref="TimetableService.BuildDraftJobAsync"/>).</summary>
public sealed class TimetableBuildJob(TimetableService timetables) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await timetables.BuildDraftJobAsync(context.MergedJobDataMap.GetString(BackgroundWork.JobIdKey)!, cancellationToken);
}
