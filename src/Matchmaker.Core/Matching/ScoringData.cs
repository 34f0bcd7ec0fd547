using Dapper;
using Matchmaker.Core.Recommendations;
using Matchmaker.Core.Storage;
using System.Data.Common;

namespace Matchmaker.Core.Matching;

/// <summary>Reads what scoring needs from the store: an event's participants (each with the profile it registered for that event), the interactions of earlier events,
/// and the outcomes of an event's meetings (for replays).</summary>
public static class ScoringData
{
    public static async Task<ScoringInput> LoadAsync(DbConnection connection, long eventDbId, IReadOnlyList<PastInteraction> history, MfModel? model)
    {
        var smes = (await connection.QueryAsync<SmeRow>("""
            SELECT s.id AS Id, s.business_number AS Key, es.name AS Name, es.region AS Region, es.employees AS Employees,
                   es.ksic_codes AS KsicCodes, es.certifications AS Certifications, es.export_record AS ExportRecord,
                   es.description AS Description, es.keywords AS Keywords
            FROM event_smes es JOIN smes s ON s.id = es.sme_id
            WHERE es.event_id = @eventDbId ORDER BY s.id
            """, new { eventDbId })).Select(r => new SmeDoc(r.Id, r.Key, r.Name, r.Region, (int?)r.Employees, Lists.Split(r.KsicCodes),
                Lists.Split(r.Certifications), r.ExportRecord is null ? null : r.ExportRecord != 0, r.Description, Lists.Split(r.Keywords))).ToList();
        var buyers = (await connection.QueryAsync<BuyerRow>("""
            SELECT b.id AS Id, b.buyer_id AS Key, eb.name AS Name, eb.region AS Region, eb.sector AS Sector, eb.ksic_codes AS KsicCodes
            FROM event_buyers eb JOIN buyers b ON b.id = eb.buyer_id
            WHERE eb.event_id = @eventDbId ORDER BY b.id
            """, new { eventDbId })).Select(r => new BuyerDoc(r.Id, r.Key, r.Name, r.Region, r.Sector, Lists.Split(r.KsicCodes))).ToList();
        var demands = (await connection.QueryAsync<DemandRow>("""
            SELECT id AS Id, demand_id AS Key, buyer_id AS BuyerId, title AS Title, description AS Description, ksic_codes AS KsicCodes,
                   required_certifications AS RequiredCertifications, budget_band AS BudgetBand, preferred_regions AS PreferredRegions
            FROM demands WHERE event_id = @eventDbId ORDER BY id
            """, new { eventDbId })).Select(r => new DemandDoc(r.Id, r.Key, r.BuyerId, r.Title, r.Description, Lists.Split(r.KsicCodes),
                Lists.Split(r.RequiredCertifications), r.BudgetBand, Lists.Split(r.PreferredRegions))).ToList();
        return new ScoringInput(smes, buyers, demands, history, model);
    }

    /// <summary>Events that started before this one (by first slot), oldest first.</summary>
    public static async Task<IReadOnlyList<long>> EarlierEventsAsync(DbConnection connection, long eventDbId) =>
        (await connection.QueryAsync<long>("""
            SELECT e.id FROM events e
            WHERE (SELECT MIN(starts_at) FROM slots WHERE event_id = e.id) < (SELECT MIN(starts_at) FROM slots WHERE event_id = @eventDbId)
            ORDER BY (SELECT MIN(starts_at) FROM slots WHERE event_id = e.id), e.id
            """, new { eventDbId })).ToList();

    /// <summary>Events in time order (first slot), with their text ids.</summary>
    public static async Task<IReadOnlyList<(long Id, string EventId)>> EventsInOrderAsync(DbConnection connection) =>
        (await connection.QueryAsync<(long, string)>("""
            SELECT e.id, e.event_id FROM events e
            ORDER BY (SELECT MIN(starts_at) FROM slots WHERE event_id = e.id), e.id
            """)).ToList();

    /// <summary>Interactions of the given events (SME by business number, buyer by buyer_id), in a fixed order.</summary>
    public static async Task<IReadOnlyList<(PastInteraction Interaction, DateTimeOffset At)>> InteractionsAsync(DbConnection connection, IReadOnlyList<long> eventDbIds)
    {
        if (eventDbIds.Count == 0) return [];
        var rows = await connection.QueryAsync<InteractionRow>($"""
            SELECT s.business_number AS SmeKey, b.buyer_id AS BuyerKey, i.kind AS Kind, i.occurred_at AS At
            FROM interactions i JOIN smes s ON s.id = i.sme_id JOIN buyers b ON b.id = i.buyer_id
            WHERE {connection.In("i.event_id", "@eventDbIds")}
            ORDER BY i.id
            """, new { eventDbIds = eventDbIds.ToArray() });
        return rows.Select(r => (new PastInteraction(r.SmeKey, r.BuyerKey, r.Kind), r.At)).ToList();
    }

    /// <summary>Stored interaction kinds as the recommender's signals (unknown kinds are skipped).</summary>
    public static Interaction? ToSignal(PastInteraction i, DateTimeOffset at)
    {
        InteractionKind? kind = i.Kind switch
        {
            "viewed" => InteractionKind.ProfileViewed, "requested" => InteractionKind.IntroductionRequested,
            "accepted" => InteractionKind.RequestAccepted, "held" => InteractionKind.MeetingHeld,
            "rated_well" => InteractionKind.MeetingRatedWell, "follow_up" => InteractionKind.FollowUpAgreed,
            "contract" => InteractionKind.ContractSigned, "declined" => InteractionKind.RequestDeclined,
            "no_show" => InteractionKind.NoShow, _ => null,
        };
        return kind is null ? null : new Interaction(i.SmeKey, i.BuyerKey, kind.Value, at);
    }

    /// <summary>Meetings that turned out well: held and rated 4 or 5, or with a follow-up (sample, site visit, NDA, contract).</summary>
    public static async Task<IReadOnlyList<(long SmeId, long BuyerId)>> PositiveOutcomesAsync(DbConnection connection, long eventDbId) =>
        (await connection.QueryAsync<(long, long)>("""
            SELECT DISTINCT sme_id, buyer_id FROM meetings
            WHERE event_id = @eventDbId AND status = 'held'
              AND (rating >= 4 OR follow_up IN ('sample', 'site_visit', 'nda', 'contract'))
            ORDER BY sme_id, buyer_id
            """, new { eventDbId })).ToList();

    sealed record SmeRow(long Id, string Key, string Name, string? Region, long? Employees, string KsicCodes, string Certifications,
        long? ExportRecord, string Description, string Keywords);
    sealed record BuyerRow(long Id, string Key, string Name, string? Region, string? Sector, string KsicCodes);
    sealed record DemandRow(long Id, string Key, long BuyerId, string Title, string Description, string KsicCodes,
        string RequiredCertifications, string? BudgetBand, string PreferredRegions);
    sealed record InteractionRow(string SmeKey, string BuyerKey, string Kind, DateTimeOffset At);
}
