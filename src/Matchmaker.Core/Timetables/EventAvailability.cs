using Matchmaker.Core.Messages;
using Matchmaker.Core.Storage;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Events;
using Matchmaker.Core.Scheduling;

namespace Matchmaker.Core.Timetables;

/// <summary>
/// The availability rule (<see cref="SlotAvailability"/>) over an event as the store holds it: its participants and
/// settings, and either the live meetings (what SMEs are offered and buyers book into) or a timetable version's meetings
/// (what an organiser moves on the board). I/O only; the rule itself is the scheduler's.
/// </summary>
public static class EventAvailability
{
    /// <summary>Over the event's live meetings (every one not cancelled, recorded history included).</summary>
    public static Task<SlotAvailability> LiveAsync(DbConnection connection, DbTransaction? transaction, long eventDbId) =>
        LiveWhereAsync(connection, transaction, eventDbId, "", new { eventDbId });

    /// <summary>
    /// Over the live meetings of one buyer and some SMEs only: enough to check or offer slots for pairs of that buyer with
    /// those SMEs (every part of the rule looks only at the meetings of the SME and the buyer of the pair), and a few dozen
    /// rows instead of every meeting of the event. Asking it for another pair would miss that pair's meetings.
    /// </summary>
    public static Task<SlotAvailability> LiveForAsync(DbConnection connection, DbTransaction? transaction, long eventDbId, long buyerId,
        IReadOnlyCollection<long> smeIds) =>
        LiveWhereAsync(connection, transaction, eventDbId, $" AND (m.buyer_id = @buyerId OR {connection.In("m.sme_id", "@smeIds")})",
            new { eventDbId, buyerId, smeIds = smeIds.ToArray() });

    static async Task<SlotAvailability> LiveWhereAsync(DbConnection connection, DbTransaction? transaction, long eventDbId, string filter,
        object parameters)
    {
        var meetings = await connection.QueryAsync<(long Sme, long Buyer, string Slot, long Table)>($"""
            SELECT m.sme_id, m.buyer_id, s.code, m.table_no FROM meetings m JOIN slots s ON s.id = m.slot_id
            WHERE m.event_id = @eventDbId AND m.status <> 'cancelled'{filter}
            """, parameters, transaction);
        return await BuildAsync(connection, transaction, eventDbId, meetings);
    }

    /// <summary>Over the meetings of timetable version <paramref name="timetableId"/>, leaving out the one being moved.</summary>
    public static async Task<SlotAvailability> VersionAsync(DbConnection connection, DbTransaction? transaction, long eventDbId,
        long timetableId, long movingMeetingId)
    {
        var meetings = await connection.QueryAsync<(long Sme, long Buyer, string Slot, long Table)>("""
            SELECT tm.sme_id, tm.buyer_id, s.code, tm.table_no FROM timetable_meetings tm JOIN slots s ON s.id = tm.slot_id
            WHERE tm.timetable_id = @timetableId AND tm.id <> @movingMeetingId
            """, new { timetableId, movingMeetingId }, transaction);
        return await BuildAsync(connection, transaction, eventDbId, meetings);
    }

    /// <summary>
    /// The refusal a participant or organiser sees for <paramref name="clash"/> (not None): field <c>table</c> for the
    /// table named, <c>slot</c> otherwise; absence and bad tables are bad requests, clashes with other meetings conflicts.
    /// </summary>
    public static RefusedException Refuse(SlotClash clash, string smeName, string buyerName, string slot, int? table = null) => clash switch
    {
        SlotClash.SmeAway => new("slot", new Message("slot.sme_away", smeName, slot)),
        SlotClash.BuyerAway => new("slot", new Message("slot.buyer_away", buyerName, slot)),
        SlotClash.NoSuchTable => new("table", new Message("slot.no_such_table", buyerName, table)),
        SlotClash.SmeBusy => new("slot", new Message("slot.sme_busy", smeName, slot), Refusal.Conflict),
        SlotClash.TableTaken => new("table", new Message("slot.table_taken", buyerName, table, slot), Refusal.Conflict),
        SlotClash.TablesFull => new("slot", new Message("slot.tables_full", buyerName, slot), Refusal.Conflict),
        SlotClash.SmeCapReached => new("slot", new Message("slot.sme_cap_reached", smeName), Refusal.Conflict),
        SlotClash.BuyerCapReached => new("slot", new Message("slot.buyer_cap_reached", buyerName), Refusal.Conflict),
        SlotClash.SmeBackToBack => new("slot", new Message("slot.sme_back_to_back", smeName, slot), Refusal.Conflict),
        SlotClash.BuyerBackToBack => new("slot", new Message("slot.buyer_back_to_back", buyerName, slot), Refusal.Conflict),
        SlotClash.HallTravel => new("slot", new Message("slot.hall_travel", smeName, buyerName, slot), Refusal.Conflict),
        SlotClash.PairMeets => new("slot", new Message("slot.pair_meets", smeName, buyerName), Refusal.Conflict),
        _ => throw new ArgumentOutOfRangeException(nameof(clash), clash, "not a refusal"),
    };

    static async Task<SlotAvailability> BuildAsync(DbConnection connection, DbTransaction? transaction, long eventDbId,
        IEnumerable<(long Sme, long Buyer, string Slot, long Table)> meetings)
    {
        var @event = await EventStore.ReadAsync(connection, transaction, eventDbId);
        var (frame, _) = await TimetableInputs.ReadFrameAsync(connection, transaction, eventDbId, @event);
        return new SlotAvailability(frame, meetings.Select(m =>
            new Scheduling.Meeting(TimetableInputs.SmeKey(m.Sme), TimetableInputs.BuyerKey(m.Buyer), m.Slot, (int)m.Table)));
    }
}
