using Dapper;
using System.Data.Common;

namespace Matchmaker.Core.Notifications;

/// <summary>What a notification tells of.</summary>
public static class NotificationKinds
{
    public const string TimetablePublished = "timetable_published";
    public const string TimetableRepaired = "timetable_repaired";
    public const string RequestReceived = "request_received";
    public const string RequestAccepted = "request_accepted";
    public const string RequestDeclined = "request_declined";
    public const string RequestExpired = "request_expired";

    /// <summary>The day before an event day: the participant's meetings of that day (written by <see cref="NotificationSweep"/>).</summary>
    public const string MeetingReminder = "meeting_reminder";

    /// <summary>After a meeting whose outcome is not recorded: the outcome form link, to the buyer (written by <see cref="NotificationSweep"/>).</summary>
    public const string OutcomeRequested = "outcome_requested";

    /// <summary>Kinds whose meetings get an iTIP part (the calendar entry changed); the others only mention their meetings.</summary>
    public static bool ChangesCalendar(string kind) => kind is TimetablePublished or TimetableRepaired;
}

/// <summary>
/// Writes notifications into the outbox inside the caller's transaction, so a change and its notification are committed
/// together or not at all. The unique key (event, recipient, kind, change) makes a repeated change a no-op.
/// </summary>
public static class Outbox
{
    /// <summary>One row per recipient; returns how many were new.</summary>
    public static async Task<int> AddAsync(DbConnection connection, DbTransaction transaction, long eventDbId, string recipientKind,
        long recipientId, string kind, string changeKey, IEnumerable<long> meetingIds, DateTimeOffset now) =>
        await connection.ExecuteAsync("""
            INSERT INTO notifications (event_id, recipient_kind, recipient_id, kind, change_key, meeting_ids, created_at)
            VALUES (@eventDbId, @recipientKind, @recipientId, @kind, @changeKey, @meetingIds, @now)
            ON CONFLICT (event_id, recipient_kind, recipient_id, kind, change_key) DO NOTHING
            """, new { eventDbId, recipientKind, recipientId, kind, changeKey, meetingIds = string.Join(';', meetingIds.Order()), now }, transaction);

    /// <summary>The event's live meetings as they stand, to compare before and after a publish.</summary>
    public static async Task<IReadOnlyDictionary<long, LiveState>> LiveStatesAsync(DbConnection connection, DbTransaction transaction, long eventDbId) =>
        (await connection.QueryAsync<LiveState>("""
            SELECT id AS Id, sme_id AS SmeId, buyer_id AS BuyerId, slot_id AS SlotId, table_no AS TableNo, status AS Status, sequence AS Sequence
            FROM meetings WHERE event_id = @eventDbId
            """, new { eventDbId }, transaction)).ToDictionary(m => m.Id);

    /// <summary>
    /// After a publish: every participant one of whose meetings was added, moved or cancelled is told, once for this
    /// version. The first publish touches every meeting, so everyone with meetings is told; a repair only the affected.
    /// </summary>
    public static async Task<int> TimetableChangedAsync(DbConnection connection, DbTransaction transaction, long eventDbId, int version,
        bool firstPublish, IReadOnlyDictionary<long, LiveState> before, DateTimeOffset now, string? changeKey = null)
    {
        var after = await LiveStatesAsync(connection, transaction, eventDbId);
        var changed = after.Values.Where(m => before.TryGetValue(m.Id, out var b)
            ? b.Status != m.Status || b.SlotId != m.SlotId || b.TableNo != m.TableNo || b.Sequence != m.Sequence
            : m.Status != "cancelled").ToList();
        var kind = firstPublish ? NotificationKinds.TimetablePublished : NotificationKinds.TimetableRepaired;
        var key = changeKey ?? $"v{version}";
        var written = 0;
        foreach (var sme in changed.GroupBy(m => m.SmeId))
            written += await AddAsync(connection, transaction, eventDbId, "sme", sme.Key, kind, key, sme.Select(m => m.Id), now);
        foreach (var buyer in changed.GroupBy(m => m.BuyerId))
            written += await AddAsync(connection, transaction, eventDbId, "buyer", buyer.Key, kind, key, buyer.Select(m => m.Id), now);
        return written;
    }

    public sealed record LiveState(long Id, long SmeId, long BuyerId, long SlotId, long TableNo, string Status, long Sequence);
}
