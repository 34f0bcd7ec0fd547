using Matchmaker.Core.Messages;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Requests;
using Matchmaker.Core.Scheduling;
using Matchmaker.Core.Storage;
using Polly.Registry;
using Matchmaker.Core.Timetables;

namespace Matchmaker.Core.Meetings;

/// <summary>What a buyer (or the organiser) records after a meeting's slot.</summary>
/// <param name="Status">held or no_show.</param>
public sealed record OutcomeReport(string Status, int? Rating, FollowUpKind? FollowUp, long? ContractKrw);

/// <summary>
/// Live meetings on the day: recording outcomes (held with a rating, follow-up and contract, or no-show), which feed the
/// recommender as interactions, and booking an accepted request straight into a free table of a published timetable.
/// </summary>
public sealed class MeetingService(Database database, TimeProvider clock, ResiliencePipelineProvider<string> pipelines)
{
    public async Task<Meeting> RecordOutcomeAsync(long eventDbId, long meetingId, Func<Meeting, bool> owns, OutcomeReport report,
        CancellationToken cancellationToken = default)
    {
        // The meeting's row is locked as it is read: two reports of one meeting take turns, the second sees the first.
        var written = await pipelines.WriteEventRowsAsync(database, eventDbId, async (connection, transaction, ct) =>
        {
            var meeting = await LoadAsync(connection, transaction, eventDbId, meetingId);
        if (meeting is null || !owns(meeting)) throw new RefusedException("meetingId", new Message("meeting_not_found", meetingId), Refusal.NotFound);
            Meeting recorded;
            try
            {
                recorded = report.Status switch
                {
                "held" => meeting.MarkHeld(new Outcome(report.Rating ?? throw new RefusedException("rating", new Message("meeting.rating_required")),
                        report.FollowUp ?? FollowUpKind.None, report.ContractKrw)),
                    "no_show" when report.Rating is not null || report.FollowUp is not null || report.ContractKrw is not null =>
                    throw new RefusedException("status", new Message("meeting.no_show_has_no_outcome")),
                    "no_show" => meeting.MarkNoShow(),
                _ => throw new RefusedException("status", new Message("meeting.status_values")),
                };
            }
            catch (IllegalTransitionException e)
            {
                throw new RefusedException("meetingId", e.Text, Refusal.Conflict);
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync("""
                UPDATE meetings SET status = @status, rating = @rating, follow_up = @followUp, contract_krw = @contract, updated_at = @now WHERE id = @Id
                """, new
            {
                recorded.Id, status = report.Status, rating = recorded.Outcome?.Rating, now,
                followUp = recorded.Outcome is { } o ? SnakeCase.Name(o.FollowUp) : null, contract = recorded.Outcome?.ContractKrw,
            }, transaction);
            foreach (var (kind, value) in Signals(recorded))
                await RequestService.InteractionAsync(connection, transaction, eventDbId, recorded.SmeId, recorded.BuyerId, kind, now, value);
            return recorded;
        }, cancellationToken);
        await database.Changes.TouchAsync(eventDbId);
        return written;
    }

    /// <summary>
    /// Books a meeting for an SME–buyer pair in <paramref name="slotCode"/> at the buyer's first free table, into the live
    /// meetings and the published timetable version. The SME's and then the buyer's rows in the event are locked first
    /// (always in that order), so bookings of one SME or one buyer take turns and each checks the availability rule over the
    /// meetings the one before it booked; the store's unique indexes still refuse a second meeting of one table or one SME
    /// in a slot, and the loser gets a conflict.
    /// </summary>
    public static async Task<long> BookAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long smeId, long buyerId,
        long? demandId, string slotCode, DateTimeOffset now)
    {
        await RequestService.LockSmeAsync(connection, transaction, eventDbId, smeId);
        await connection.ExecuteAsync($"SELECT buyer_id FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @buyerId{connection.ForUpdate()}",
            new { eventDbId, buyerId }, transaction);
        var timetableId = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM timetables WHERE event_id = @eventDbId AND status = 'published'", new { eventDbId }, transaction)
            ?? throw new RefusedException("slot", new Message("meeting.not_published"), Refusal.Conflict);
        var slotId = await connection.ExecuteScalarAsync<long?>("SELECT id FROM slots WHERE event_id = @eventDbId AND code = @slotCode",
            new { eventDbId, slotCode }, transaction) ?? throw new RefusedException("slot", new Message("slot_unknown", slotCode));
        // The availability rule the timetable optimiser places meetings by, over the live meetings as this transaction sees them.
        var availability = await EventAvailability.LiveForAsync(connection, transaction, eventDbId, buyerId, [smeId]);
        var (sme, buyer) = (TimetableInputs.SmeKey(smeId), TimetableInputs.BuyerKey(buyerId));
        if (availability.Check(sme, buyer, slotCode) is var clash and not SlotClash.None)
        {
            var names = await connection.QuerySingleAsync<(string Sme, string Buyer)>(
                """
                SELECT COALESCE((SELECT name FROM event_smes WHERE event_id = @eventDbId AND sme_id = @smeId), '?'),
                       COALESCE((SELECT name FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @buyerId), '?')
                """, new { eventDbId, smeId, buyerId }, transaction);
            throw EventAvailability.Refuse(clash, names.Sme, names.Buyer, slotCode);
        }
        var table = availability.FreeTable(buyer, slotCode)
            ?? throw new RefusedException("slot", new Message("meeting.tables_full", slotCode), Refusal.Conflict);
        try
        {
            var meetingId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO meetings (event_id, sme_id, buyer_id, demand_id, slot_id, table_no, status, timetable_id, updated_at)
                VALUES (@eventDbId, @smeId, @buyerId, @demandId, @slotId, @table, 'scheduled', @timetableId, @now)
                RETURNING id
                """, new { eventDbId, smeId, buyerId, demandId, slotId, table, timetableId, now }, transaction);
            await connection.ExecuteAsync("""
                INSERT INTO timetable_meetings (timetable_id, sme_id, buyer_id, slot_id, table_no, score, requested, locked)
                VALUES (@timetableId, @smeId, @buyerId, @slotId, @table, 0, TRUE, TRUE)
                """, new { timetableId, smeId, buyerId, slotId, table }, transaction);
            return meetingId;
        }
        catch (DbException e) when (TransientFaults.IsConstraintViolation(e)) // SQLITE_CONSTRAINT: someone else took the place first
        {
            throw new RefusedException("slot", new Message("meeting.slot_taken", slotCode), Refusal.Conflict);
        }
    }

    static IEnumerable<(string Kind, double? Value)> Signals(Meeting meeting)
    {
        if (meeting.Status == MeetingStatus.NoShow) { yield return ("no_show", null); yield break; }
        var outcome = meeting.Outcome!;
        yield return ("held", outcome.Rating);
        if (outcome.Rating >= 4) yield return ("rated_well", outcome.Rating);
        if (outcome.FollowUp is FollowUpKind.Sample or FollowUpKind.SiteVisit or FollowUpKind.Nda) yield return ("follow_up", null);
        if (outcome.FollowUp == FollowUpKind.Contract) yield return ("contract", outcome.ContractKrw);
    }

    static async Task<Meeting?> LoadAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long meetingId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, long SmeId, long BuyerId, long? DemandId, string Slot, long Table, string Status)?>($"""
            SELECT m.id, m.sme_id, m.buyer_id, m.demand_id, s.code, m.table_no, m.status
            FROM meetings m JOIN slots s ON s.id = m.slot_id WHERE m.id = @meetingId AND m.event_id = @eventDbId{connection.ForUpdate("m")}
            """, new { meetingId, eventDbId }, transaction);
        return row is { } r
            ? new Meeting(r.Id, eventDbId, r.SmeId, r.BuyerId, r.DemandId, r.Slot, (int)r.Table,
                SnakeCase.Parse<MeetingStatus>(r.Status), null)
            : null;
    }
}
