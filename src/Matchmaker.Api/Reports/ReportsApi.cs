using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Core.Events;
using Matchmaker.Core.Reports;
using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Reports;

/// <summary>The event report for organisers and analysts: requests, meetings and their outcomes, per sector and buyer, and fairness.</summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/events/{eventId}/report", GetEventReport).WithTags("Reports").WithName(nameof(GetEventReport))
            .WithSummary("The event report: requests, acceptance, meetings planned vs held, no-shows, ratings, follow-ups, contracts, per sector and buyer, fairness")
            .WithDescription("Computed from the event's introduction requests and live meetings (what the published timetable put there, or a past " +
                "event's recorded history). Acceptance rate = accepted / (accepted + declined); show rate = held / (held + no-show); planned = " +
                "meetings not cancelled. Ratings, follow-ups and contracts count held meetings. Groups are the SME's sector, the buyer's " +
                "sector and each buyer (participants without a sector have key null). Fairness counts every SME of the event, also those " +
                "with no meeting. Organisers and analysts.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessSetup.Analysts);
        return routes;
    }

    static async Task<Results<Ok<EventReportResponse>, ProblemHttpResult>> GetEventReport(string eventId, EventStore events, Database database,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await events.FindAsync(eventId, cancellationToken) is not { Id: var eventDbId, Event: var @event }) return Problems.EventNotFound(eventId);
        await using var connection = await database.OpenAsync(cancellationToken);
        var smes = (await connection.QueryAsync<ReportSme>("""
            SELECT sme_id AS Id, sector AS Sector FROM event_smes WHERE event_id = @eventDbId ORDER BY sme_id
            """, new { eventDbId })).ToList();
        var buyers = (await connection.QueryAsync<ReportBuyer>("""
            SELECT b.id AS Id, b.buyer_id AS BuyerId, eb.name AS Name, eb.sector AS Sector
            FROM event_buyers eb JOIN buyers b ON b.id = eb.buyer_id WHERE eb.event_id = @eventDbId ORDER BY b.id
            """, new { eventDbId })).ToList();
        var requests = (await connection.QueryAsync<ReportRequest>("""
            SELECT sme_id AS SmeId, buyer_id AS BuyerId, state AS State FROM introduction_requests WHERE event_id = @eventDbId
            """, new { eventDbId })).ToList();
        var meetings = (await connection.QueryAsync<MeetingRow>("""
            SELECT sme_id AS SmeId, buyer_id AS BuyerId, status AS Status, rating AS Rating, follow_up AS FollowUp, contract_krw AS ContractKrw
            FROM meetings WHERE event_id = @eventDbId
            """, new { eventDbId })).Select(m => m.ToMeeting()).ToList();
        var published = await connection.ExecuteScalarAsync<long?>(
            "SELECT version FROM timetables WHERE event_id = @eventDbId AND status = 'published'", new { eventDbId });
        var figures = EventReport.Compute(smes, buyers, requests, meetings, @event.MinMeetingsPerSme);
        return TypedResults.Ok(new EventReportResponse(@event.EventId, @event.Name, (int?)published, clock.GetUtcNow(), figures));
    }

    // Positional records need exact column types from Dapper; SQLite's INTEGER comes back as long.
    sealed class MeetingRow
    {
        public long SmeId { get; init; }
        public long BuyerId { get; init; }
        public string Status { get; init; } = "";
        public long? Rating { get; init; }
        public string? FollowUp { get; init; }
        public long? ContractKrw { get; init; }

        public ReportMeeting ToMeeting() => new(SmeId, BuyerId, Status, (int?)Rating, FollowUp, ContractKrw);
    }
}

/// <summary>The event report.</summary>
/// <param name="PublishedVersion">The published timetable version the live meetings follow; null for a past event's recorded history or before publishing.</param>
public sealed record EventReportResponse(string EventId, string Name, int? PublishedVersion, DateTimeOffset GeneratedAt, EventFigures Figures);
