using Matchmaker.Core;
using System.Globalization;
using Dapper;
using Matchmaker.Core.Meetings;
using System.Data.Common;

namespace Matchmaker.Api.Itineraries;

/// <summary>
/// A live meeting (table meetings) with everything an itinerary, agenda or export shows: slot times, both sides, hall,
/// demand, status, calendar sequence and, when the published timetable version has one for the pair, its score.
/// </summary>
public sealed record LiveMeetingRow(long MeetingId, long SmeId, string SmeName, string BusinessNumber, string? SmeSector, string? SmeRegion,
    long BuyerId, string BuyerCode, string BuyerName, string? Hall, long? DemandId, string? DemandCode, string? DemandTitle,
    string SlotCode, int Day, DateTime LocalStart, DateTime LocalEnd, DateTimeOffset Start, DateTimeOffset End, int Table, string Status,
    int Sequence, DateTimeOffset UpdatedAt, double? Score)
{
    public bool Cancelled => Status == "cancelled";

    public MeetingStatus MeetingStatus => SnakeCase.Parse<MeetingStatus>(Status);
}

/// <summary>
/// Reads an event's live meetings. Only the meetings table is read: it holds what the published timetable version put
/// there (drafts never reach it) and, for past events, the recorded history, so participants never see a draft.
/// </summary>
public static class LiveMeetingRows
{
    /// <summary>The event's meetings in time order, optionally of one SME or one buyer; cancelled ones too.</summary>
    public static async Task<IReadOnlyList<LiveMeetingRow>> ReadAsync(DbConnection connection, long eventDbId, long? smeId = null, long? buyerId = null)
    {
        var rows = await connection.QueryAsync<Row>("""
            SELECT m.id AS MeetingId, m.sme_id AS SmeId, COALESCE(es.name, s.business_number) AS SmeName, s.business_number AS BusinessNumber,
                   es.sector AS SmeSector, es.region AS SmeRegion, m.buyer_id AS BuyerId, b.buyer_id AS BuyerCode,
                   COALESCE(eb.name, b.buyer_id) AS BuyerName, eb.hall AS Hall,
                   m.demand_id AS DemandId, d.demand_id AS DemandCode, d.title AS DemandTitle,
                   sl.code AS SlotCode, sl.day AS Day, sl.local_start AS LocalStart, sl.local_end AS LocalEnd,
                   sl.starts_at AS StartsAt, sl.ends_at AS EndsAt, m.table_no AS TableNo, m.status AS Status, m.sequence AS Sequence,
                   m.updated_at AS UpdatedAt,
                   (SELECT tm.score FROM timetable_meetings tm JOIN timetables t ON t.id = tm.timetable_id
                    WHERE t.event_id = m.event_id AND t.status = 'published' AND tm.sme_id = m.sme_id AND tm.buyer_id = m.buyer_id) AS Score
            FROM meetings m
            JOIN smes s ON s.id = m.sme_id
            JOIN buyers b ON b.id = m.buyer_id
            JOIN slots sl ON sl.id = m.slot_id
            LEFT JOIN event_buyers eb ON eb.event_id = m.event_id AND eb.buyer_id = m.buyer_id
            LEFT JOIN event_smes es ON es.event_id = m.event_id AND es.sme_id = m.sme_id
            LEFT JOIN demands d ON d.id = m.demand_id
            WHERE m.event_id = @eventDbId AND (@smeId IS NULL OR m.sme_id = @smeId) AND (@buyerId IS NULL OR m.buyer_id = @buyerId)
            ORDER BY sl.local_start, BuyerName, m.table_no, m.id
            """, new { eventDbId, smeId, buyerId });
        return rows.Select(r => r.ToMeeting()).ToList();
    }

    // A class, not a positional record: the score sub-select has no declared type, and Dapper's constructor matching
    // needs exact types.
    sealed class Row
    {
        public long MeetingId { get; init; }
        public long SmeId { get; init; }
        public string SmeName { get; init; } = "";
        public string BusinessNumber { get; init; } = "";
        public string? SmeSector { get; init; }
        public string? SmeRegion { get; init; }
        public long BuyerId { get; init; }
        public string BuyerCode { get; init; } = "";
        public string BuyerName { get; init; } = "";
        public string? Hall { get; init; }
        public long? DemandId { get; init; }
        public string? DemandCode { get; init; }
        public string? DemandTitle { get; init; }
        public string SlotCode { get; init; } = "";
        public long Day { get; init; }
        public string LocalStart { get; init; } = "";
        public string LocalEnd { get; init; } = "";
        public DateTimeOffset StartsAt { get; init; }
        public DateTimeOffset EndsAt { get; init; }
        public long TableNo { get; init; }
        public string Status { get; init; } = "";
        public long Sequence { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public double? Score { get; init; }

        public LiveMeetingRow ToMeeting() => new(MeetingId, SmeId, SmeName, BusinessNumber, SmeSector, SmeRegion, BuyerId, BuyerCode, BuyerName,
            Hall, DemandId, DemandCode, DemandTitle, SlotCode, (int)Day, Local(LocalStart), Local(LocalEnd), StartsAt, EndsAt, (int)TableNo,
            Status, (int)Sequence, UpdatedAt, Score);

        static DateTime Local(string text) => DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
    }
}
