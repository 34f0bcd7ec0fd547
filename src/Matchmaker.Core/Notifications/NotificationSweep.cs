using System.Globalization;
using Dapper;
using Matchmaker.Core.Storage;
using System.Data.Common;

namespace Matchmaker.Core.Notifications;

/// <summary>What one sweep wrote into the outbox.</summary>
public sealed record SweepRun(int Reminders, int OutcomeLinks);

/// <summary>
/// Writes the notifications that time, not a change, brings due: the reminder the day before an event day (to every
/// participant with a live meeting that day, from <see cref="NotificationOptions.RemindFromLocalTime"/> in the event's
/// time zone; one per participant per event day) and the outcome form link to the buyer once a scheduled meeting's slot
/// has ended with no outcome recorded (one per meeting). The outbox's unique key makes a sweep run any number of times
/// (or by a worker that restarts) write each of them once.
/// </summary>
public sealed class NotificationSweep(Database database, NotificationOptions options, TimeProvider clock,
    Polly.Registry.ResiliencePipelineProvider<string>? pipelines = null)
{
    readonly Polly.Registry.ResiliencePipelineProvider<string> _pipelines = pipelines ?? TransientFaults.CreateRegistry(clock);

    public async Task<SweepRun> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        return await _pipelines.WriteAsync(database, async (connection, transaction, _) =>
        {
            var events = await connection.QueryAsync<(long Id, string TimeZone)>("SELECT id, time_zone FROM events ORDER BY id", transaction: transaction);
            int reminders = 0, outcomeLinks = 0;
            foreach (var (eventDbId, timeZone) in events)
            {
                reminders += await RemindAsync(connection, transaction, eventDbId, TimeZoneInfo.FindSystemTimeZoneById(timeZone), now);
                outcomeLinks += await AskForOutcomesAsync(connection, transaction, eventDbId, now);
            }
            return new SweepRun(reminders, outcomeLinks);
        }, cancellationToken);
    }

    async Task<int> RemindAsync(DbConnection connection, DbTransaction transaction, long eventDbId, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        if (local.TimeOfDay < options.RemindFromLocalTime) return 0;
        // Slots keep their local start as "yyyy-MM-ddTHH:mm" in the event's zone, so "tomorrow" is a prefix.
        var tomorrow = DateOnly.FromDateTime(local.DateTime).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var meetings = (await connection.QueryAsync<(long Id, long SmeId, long BuyerId)>("""
            SELECT m.id, m.sme_id, m.buyer_id
            FROM meetings m JOIN slots sl ON sl.id = m.slot_id
            WHERE m.event_id = @eventDbId AND m.status = 'scheduled' AND substr(sl.local_start, 1, 10) = @tomorrow
            """, new { eventDbId, tomorrow }, transaction)).ToList();
        var written = 0;
        foreach (var sme in meetings.GroupBy(m => m.SmeId))
            written += await Outbox.AddAsync(connection, transaction, eventDbId, "sme", sme.Key, NotificationKinds.MeetingReminder, tomorrow,
                sme.Select(m => m.Id), now);
        foreach (var buyer in meetings.GroupBy(m => m.BuyerId))
            written += await Outbox.AddAsync(connection, transaction, eventDbId, "buyer", buyer.Key, NotificationKinds.MeetingReminder, tomorrow,
                buyer.Select(m => m.Id), now);
        return written;
    }

    async Task<int> AskForOutcomesAsync(DbConnection connection, DbTransaction transaction, long eventDbId, DateTimeOffset now)
    {
        // Still 'scheduled' means no outcome (held or no-show) was recorded. Instants are compared as values, not text:
        // a slot's end is stored with its zone's offset.
        var scheduled = await connection.QueryAsync<(long Id, long BuyerId, DateTimeOffset EndsAt)>("""
            SELECT m.id, m.buyer_id, sl.ends_at
            FROM meetings m JOIN slots sl ON sl.id = m.slot_id
            WHERE m.event_id = @eventDbId AND m.status = 'scheduled'
            """, new { eventDbId }, transaction);
        var oldest = now - TimeSpan.FromHours(options.OutcomeLinkWithinHours);
        var written = 0;
        foreach (var meeting in scheduled.Where(m => m.EndsAt <= now && m.EndsAt > oldest))
            written += await Outbox.AddAsync(connection, transaction, eventDbId, "buyer", meeting.BuyerId, NotificationKinds.OutcomeRequested,
                $"meeting-{meeting.Id.ToString(CultureInfo.InvariantCulture)}", [meeting.Id], now);
        return written;
    }
}
