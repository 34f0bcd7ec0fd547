using Dapper;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Notifications;

/// <summary>One notification as the organiser sees it: to whom, about what, and how delivery went.</summary>
public sealed record NotificationView(long Id, string RecipientKind, long RecipientId, string RecipientName, string Kind, string State,
    int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

/// <summary>The organiser's view of an event's outbox, and "send again".</summary>
public sealed class NotificationLog(Database database)
{
    public async Task<IReadOnlyList<NotificationView>> ListAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<Row>("""
            SELECT n.id AS Id, n.recipient_kind AS RecipientKind, n.recipient_id AS RecipientId,
                   COALESCE(CASE n.recipient_kind WHEN 'sme' THEN s.name ELSE b.name END, '?') AS RecipientName,
                   n.kind AS Kind, n.state AS State, n.attempts AS Attempts, n.last_error AS LastError, n.created_at AS CreatedAt, n.sent_at AS SentAt
            FROM notifications n
            LEFT JOIN event_smes s ON n.recipient_kind = 'sme' AND s.event_id = n.event_id AND s.sme_id = n.recipient_id
            LEFT JOIN event_buyers b ON n.recipient_kind = 'buyer' AND b.event_id = n.event_id AND b.buyer_id = n.recipient_id
            WHERE n.event_id = @eventDbId
            ORDER BY RecipientName, n.id
            """, new { eventDbId })).Select(r => new NotificationView(r.Id, r.RecipientKind, r.RecipientId, r.RecipientName, r.Kind, r.State,
                (int)r.Attempts, r.LastError, r.CreatedAt, r.SentAt)).ToList();
    }

    /// <summary>Puts a notification back in the queue (whatever its state); false when the event has no such notification.</summary>
    public async Task<bool> SendAgainAsync(long eventDbId, long notificationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE notifications SET state = 'pending', attempts = 0, last_error = NULL WHERE id = @notificationId AND event_id = @eventDbId",
            new { notificationId, eventDbId }) == 1;
    }

    sealed class Row
    {
        public long Id { get; init; }
        public string RecipientKind { get; init; } = "";
        public long RecipientId { get; init; }
        public string RecipientName { get; init; } = "";
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public long Attempts { get; init; }
        public string? LastError { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? SentAt { get; init; }
    }
}
