using Matchmaker.Core.Messages;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Core.Events;
using Matchmaker.Core.Notifications;
using Matchmaker.Worker.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Notifications;

/// <summary>The organiser's view of an event's notifications: per participant pending, sent or failed with the reason,
/// and "send again".</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events/{eventId}/notifications").WithTags("Notifications")
            .RequireAuthorization(AccessSetup.Organisers);
        group.MapGet("/", ListNotifications).WithName(nameof(ListNotifications))
            .WithSummary("Every notification of the event with its delivery state (pending, sent, failed with the reason, skipped)");
        group.MapPost("/{notificationId:long}/send-again", SendAgain).WithName(nameof(SendAgain))
            .Answers(StatusCodes.Status404NotFound, "notification.not_found")
            .WithSummary("Put a notification back in the queue and deliver the outbox now");
        return routes;
    }

    static async Task<Results<Ok<IReadOnlyList<NotificationView>>, ProblemHttpResult>> ListNotifications(string eventId, HttpContext http,
        NotificationLog log, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        return TypedResults.Ok(await log.ListAsync(eventDbId, cancellationToken));
    }

    static async Task<Results<Accepted, ProblemHttpResult>> SendAgain(string eventId, long notificationId, HttpContext http, NotificationLog log,
        BackgroundWork background, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!await log.SendAgainAsync(eventDbId, notificationId, cancellationToken))
            return Problems.NotFound(new Message("notification.not_found", notificationId), "notificationId");
        await background.DeliverNotificationsAsync(cancellationToken);
        return TypedResults.Accepted($"/api/events/{eventId}/notifications");
    }
}
