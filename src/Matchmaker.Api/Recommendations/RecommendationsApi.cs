using Matchmaker.Core.Messages;
using System.ComponentModel;
using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Requests;
using Matchmaker.Core.Events;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Timetables;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Recommendations;

/// <summary>
/// What an SME sees first: the best-fitting buyers (and their best demand) with score and explanation, each with the slots
/// in which both are still free, and where the SME's own request to that buyer stands.
/// </summary>
public static class RecommendationsApi
{
    public static IEndpointRouteBuilder MapRecommendations(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/events/{eventId}/smes/{smeId:long}/recommendations", SmeRecommendations)
            .WithTags("Recommendations").WithName(nameof(SmeRecommendations))
            .Answers(StatusCodes.Status400BadRequest, "value_range")
            .Answers(StatusCodes.Status404NotFound, "scores.not_yet")
            .WithSummary("Ranked meeting slots for an SME: best-fitting buyers with score, explanation and the slots both sides have free")
            .WithDescription("Ties are broken by buyer id. Free slots follow the availability rule the timetable optimiser and bookings use, over the live timetable: "
                + "both sides present, the SME in no other meeting (nor meeting this buyer already), a free buyer table, and enough changeover time to walk between halls.")
            .Produces<RecommendationList>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(AccessSetup.Participants).RequireRateLimiting(RateLimits.Participants);
        return routes;
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SmeRecommendations(string eventId, long smeId, HttpContext http,
        EventIds eventIds, ParticipantViews views, ScoreStore scores, Database database, CancellationToken cancellationToken,
        [Description("How many buyers, 1–50")] int top = 10)
    {
        if (top is < 1 or > 50) return Problems.BadRequest(new Message("value_range", "top", 1, 50), "top");
        if (await eventIds.FindAsync(eventId, cancellationToken) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return Problems.NotYours("smeId");
        return await views.GetAsync(eventDbId, $"recommendations:{smeId}:{top}",
            () => BuildAsync(eventId, eventDbId, smeId, top, scores, database, cancellationToken));
    }

    static async Task<(RecommendationList? Value, ProblemHttpResult? Problem)> BuildAsync(string eventId, long eventDbId, long smeId, int top,
        ScoreStore scores, Database database, CancellationToken cancellationToken)
    {
        var (run, _, matches) = await scores.ForSmeAsync(eventDbId, smeId, 0, top, cancellationToken);
        if (run is null) return (null, Problems.NotFound(new Message("scores.not_yet", eventId), "eventId"));

        await using var connection = await database.OpenAsync(cancellationToken);
        var slots = (await connection.QueryAsync<(string Code, string LocalStart, string LocalEnd)>(
            "SELECT code, local_start, local_end FROM slots WHERE event_id = @eventDbId", new { eventDbId })).ToDictionary(s => s.Code);
        // Free slots by the availability rule the timetable optimiser and bookings use, over the live meetings.
        var availability = await EventAvailability.LiveAsync(connection, null, eventDbId);
        var buyerIds = matches.Select(m => m.BuyerId).ToArray();
        var buyers = (await connection.QueryAsync<(long Id, string Name, string? Hall)>($"""
            SELECT eb.buyer_id, eb.name, eb.hall FROM event_buyers eb
            WHERE eb.event_id = @eventDbId AND {connection.In("eb.buyer_id", "@buyerIds")}
            """, new { eventDbId, buyerIds })).ToDictionary(b => b.Id);
        var requests = (await connection.QueryAsync<(long Buyer, long Id, string State)>("""
            SELECT buyer_id, id, state FROM introduction_requests WHERE event_id = @eventDbId AND sme_id = @smeId ORDER BY id
            """, new { eventDbId, smeId })).ToLookup(r => r.Buyer);
        var meetingWith = (await connection.QueryAsync<(long Buyer, long Id)>(
            "SELECT buyer_id, id FROM meetings WHERE event_id = @eventDbId AND sme_id = @smeId AND status <> 'cancelled'", new { eventDbId, smeId }))
            .ToDictionary(m => m.Buyer, m => m.Id);

        var items = matches.Select((m, i) =>
        {
            var buyer = buyers[m.BuyerId];
            var free = availability.FreeSlots(TimetableInputs.SmeKey(smeId), TimetableInputs.BuyerKey(m.BuyerId))
                .Select(code => slots[code]).Select(s => new FreeSlot(s.Code, s.LocalStart, s.LocalEnd)).ToList();
            var request = requests[m.BuyerId].LastOrDefault();
            return new Recommendation(i + 1, m.BuyerId, buyer.Name, buyer.Hall, m.DemandId, m.DemandKey, m.DemandTitle, m.Score, m.Explanation, free,
                request.Id == 0 ? null : new RequestStatus(request.Id, request.State), meetingWith.TryGetValue(m.BuyerId, out var meetingId) ? meetingId : null);
        }).ToList();
        return (new RecommendationList(eventId, smeId, run.Profile.Name, run.ScoredAt, items), null);
    }
}

public sealed record FreeSlot(string Code, string LocalStart, string LocalEnd);
public sealed record RequestStatus(long RequestId, string State);
/// <summary>One recommended buyer for an SME: why it fits, when both are free, and what the SME already did about it.</summary>
public sealed record Recommendation(int Rank, long BuyerId, string BuyerName, string? Hall, long? DemandId, string? DemandKey, string? DemandTitle,
    double Score, MatchExplanation Explanation, IReadOnlyList<FreeSlot> FreeSlots, RequestStatus? Request, long? MeetingId);
public sealed record RecommendationList(string EventId, long SmeId, string Profile, DateTimeOffset ScoredAt, IReadOnlyList<Recommendation> Items);
