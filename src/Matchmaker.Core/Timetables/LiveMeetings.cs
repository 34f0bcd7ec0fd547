using Dapper;
using Matchmaker.Core.Storage;
using System.Data.Common;

namespace Matchmaker.Core.Timetables;

/// <summary>
/// Makes the event's live meetings (table meetings: what participants are told, and what outcomes attach to) match a
/// published timetable version. A meeting keeps its id for the same SME–buyer pair across versions, so calendars update
/// instead of duplicating; its sequence rises whenever its slot or table changes or it is cancelled.
/// </summary>
static class LiveMeetings
{
    public static async Task SyncAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long timetableId, DateTimeOffset now)
    {
        try
        {
            await ReconcileAsync(connection, transaction, eventDbId, timetableId, now);
        }
        catch (DbException e) when (TransientFaults.IsConstraintViolation(e)) // SQLITE_CONSTRAINT: the store's own double-booking guard
        {
            throw new RefusedException("version", new Messages.Message("timetable.live_conflict"), Refusal.Conflict);
        }
    }

    static async Task ReconcileAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long timetableId, DateTimeOffset now)
    {
        var target = (await connection.QueryAsync<(long Sme, long Buyer, long Slot, long Table, bool Locked)>("""
            SELECT sme_id, buyer_id, slot_id, table_no, locked FROM timetable_meetings WHERE timetable_id = @timetableId
            """, new { timetableId }, transaction)).ToDictionary(m => (m.Sme, m.Buyer));
        var live = (await connection.QueryAsync<(long Id, long Sme, long Buyer, long Slot, long Table, string Status)>("""
            SELECT id, sme_id, buyer_id, slot_id, table_no, status FROM meetings WHERE event_id = @eventDbId AND status <> 'cancelled'
            """, new { eventDbId }, transaction)).ToList();

        // Meetings that already happened (held, no-show) are history: they stay exactly as recorded whatever the version
        // says, and a settled pair counts as existing so it is not added again. A version meeting that would take a place
        // history occupies (the same SME, or the same buyer table, in the same slot) cannot be reconciled: refused, named.
        var settled = live.Where(m => m.Status is "held" or "no_show").ToList();
        foreach (var pair in settled.Select(m => (m.Sme, m.Buyer))) target.Remove(pair);
        var smeTaken = settled.GroupBy(m => (m.Slot, m.Sme)).ToDictionary(g => g.Key, g => g.First().Id);
        var tableTaken = settled.GroupBy(m => (m.Slot, m.Buyer, m.Table)).ToDictionary(g => g.Key, g => g.First().Id);
        foreach (var t in target.Values.OrderBy(t => t.Slot).ThenBy(t => t.Sme))
        {
            var clash = smeTaken.TryGetValue((t.Slot, t.Sme), out var a) ? a : tableTaken.TryGetValue((t.Slot, t.Buyer, t.Table), out var b) ? b : (long?)null;
            if (clash is not { } recorded) continue;
            var names = await connection.QuerySingleAsync<(string Sme, string Buyer, string Slot)>("""
                SELECT COALESCE((SELECT name FROM event_smes WHERE event_id = @eventDbId AND sme_id = @Sme), '?'),
                       COALESCE((SELECT name FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @Buyer), '?'),
                       (SELECT code FROM slots WHERE id = @Slot)
                """, new { eventDbId, t.Sme, t.Buyer, t.Slot }, transaction);
            throw new RefusedException("version",
                new Messages.Message("timetable.clashes_with_recorded", names.Sme, names.Buyer, names.Slot, t.Table, recorded), Refusal.Conflict);
        }
        live.RemoveAll(m => m.Status is "held" or "no_show");
        var moving = live.Where(m => m.Status == "scheduled" &&
            (!target.TryGetValue((m.Sme, m.Buyer), out var t) || t.Slot != m.Slot || t.Table != m.Table)).ToList();

        // Step aside first: the unique indexes on slot × table and slot × SME are checked per statement, so moved meetings
        // are parked as cancelled before any of them takes its new place (all inside one transaction).
        foreach (var m in moving)
            await connection.ExecuteAsync("UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, updated_at = @now WHERE id = @Id",
                new { m.Id, now }, transaction);
        foreach (var m in moving.Where(m => target.ContainsKey((m.Sme, m.Buyer))))
        {
            var t = target[(m.Sme, m.Buyer)];
            await connection.ExecuteAsync("""
                UPDATE meetings SET status = 'scheduled', slot_id = @Slot, table_no = @Table, locked = @Locked, timetable_id = @timetableId, updated_at = @now
                WHERE id = @Id
                """, new { m.Id, t.Slot, t.Table, t.Locked, timetableId, now }, transaction);
        }
        var existing = live.Select(m => (m.Sme, m.Buyer)).Concat(settled.Select(m => (m.Sme, m.Buyer))).ToHashSet();
        foreach (var t in target.Values.Where(t => !existing.Contains((t.Sme, t.Buyer))))
        {
            // A pair cancelled in an earlier version comes back under its old id, with a higher sequence.
            var revived = await connection.ExecuteAsync("""
                UPDATE meetings SET status = 'scheduled', slot_id = @Slot, table_no = @Table, locked = @Locked, timetable_id = @timetableId,
                       sequence = sequence + 1, updated_at = @now
                WHERE id = (SELECT id FROM meetings WHERE event_id = @eventDbId AND sme_id = @Sme AND buyer_id = @Buyer AND status = 'cancelled' ORDER BY id DESC LIMIT 1)
                """, new { eventDbId, t.Sme, t.Buyer, t.Slot, t.Table, t.Locked, timetableId, now }, transaction);
            if (revived == 0)
                await connection.ExecuteAsync("""
                    INSERT INTO meetings (event_id, sme_id, buyer_id, demand_id, slot_id, table_no, status, locked, timetable_id, updated_at)
                    VALUES (@eventDbId, @Sme, @Buyer,
                            (SELECT demand_id FROM introduction_requests WHERE event_id = @eventDbId AND sme_id = @Sme AND buyer_id = @Buyer AND state = 'accepted' LIMIT 1),
                            @Slot, @Table, 'scheduled', @Locked, @timetableId, @now)
                    """, new { eventDbId, t.Sme, t.Buyer, t.Slot, t.Table, t.Locked, timetableId, now }, transaction);
        }
        foreach (var m in live.Where(m => m.Status == "scheduled" && target.ContainsKey((m.Sme, m.Buyer)) && !moving.Contains(m)))
            await connection.ExecuteAsync("UPDATE meetings SET locked = @Locked, timetable_id = @timetableId WHERE id = @Id",
                new { m.Id, target[(m.Sme, m.Buyer)].Locked, timetableId }, transaction);
    }
}
