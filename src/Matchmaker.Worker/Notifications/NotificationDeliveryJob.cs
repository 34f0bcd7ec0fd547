using Matchmaker.Core.Notifications;
using Quartz;

namespace Matchmaker.Worker.Notifications;

/// <summary>Delivers the outbox (see <see cref="NotificationDelivery"/>): every few seconds, and at once when a publish
/// or a "send again" asks. One run at a time, so a message is never handed to the server by two runs together.</summary>
[DisallowConcurrentExecution]
public sealed class NotificationDeliveryJob(NotificationDelivery delivery) : IJob
{
    public static readonly JobKey Key = new("deliver", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await delivery.DeliverPendingAsync(null, cancellationToken);
}
