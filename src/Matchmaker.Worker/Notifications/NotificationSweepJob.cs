using Matchmaker.Core.Notifications;
using Quartz;

namespace Matchmaker.Worker.Notifications;

/// <summary>Writes the notifications that time brings due (see <see cref="NotificationSweep"/>: the reminder the day
/// before, the outcome form link after a meeting) every <see cref="NotificationOptions.SweepEverySeconds"/>; the delivery
/// job sends them.</summary>
[DisallowConcurrentExecution]
public sealed class NotificationSweepJob(NotificationSweep sweep) : IJob
{
    public static readonly JobKey Key = new("sweep-due", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sweep.SweepAsync(cancellationToken);
}
