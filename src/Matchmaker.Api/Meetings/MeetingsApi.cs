using Matchmaker.Core.Messages;
using Matchmaker.Core;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Requests;
using Matchmaker.Core.Events;
using Matchmaker.Core.Meetings;
using Matchmaker.Core.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Meetings;

/// <summary>After a meeting's slot: the buyer (or the organiser marking no-shows) records what happened.</summary>
public static class MeetingsApi
{
    public static IEndpointRouteBuilder MapMeetings(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/events/{eventId}/meetings/{meetingId:long}/outcome", RecordOutcome).WithTags("Meetings").WithName(nameof(RecordOutcome))
            .Answers(StatusCodes.Status400BadRequest, "meeting.follow_up_values", "meeting.rating_required", "meeting.no_show_has_no_outcome", "meeting.status_values", "meeting.rating_range", "meeting.contract_negative", "meeting.contract_needs_follow_up")
            .Answers(StatusCodes.Status404NotFound, "meeting_not_found")
            .Answers(StatusCodes.Status409Conflict, "meeting.cannot_become")
            .WithSummary("Record a meeting's outcome: held (rating 1–5, follow-up, contract amount in KRW) or no_show")
            .WithDescription("By the meeting's buyer or an organiser; outcomes feed the recommender.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AccessSetup.Participants).RequireRateLimiting(RateLimits.Participants);
        return routes;
    }

    static async Task<Results<Ok<MeetingOutcome>, ProblemHttpResult>> RecordOutcome(string eventId, long meetingId, OutcomeRequest request, HttpContext http,
        MeetingService meetings, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        var caller = http.Caller();
        FollowUpKind? followUp = null;
        if (request.FollowUp is not null)
        {
            if (!SnakeCase.TryParse<FollowUpKind>(request.FollowUp, out var parsed))
                return Problems.BadRequest(new Message("meeting.follow_up_values"), "followUp");
            followUp = parsed;
        }
        try
        {
            var recorded = await meetings.RecordOutcomeAsync(eventDbId, meetingId, m => caller.MayActAsBuyer(eventDbId, m.BuyerId),
                new OutcomeReport(request.Status ?? "", request.Rating, followUp, request.ContractKrw), cancellationToken);
            return TypedResults.Ok(new MeetingOutcome(recorded.Id, recorded.Status, recorded.Outcome?.Rating, recorded.Outcome?.FollowUp, recorded.Outcome?.ContractKrw));
        }
        catch (RefusedException e)
        {
            return Problems.Refused(e);
        }
    }
}

/// <param name="Status">held or no_show.</param>
/// <param name="FollowUp">none, sample, site_visit, nda or contract.</param>
public sealed record OutcomeRequest(string? Status, int? Rating = null, string? FollowUp = null, long? ContractKrw = null);
public sealed record MeetingOutcome(long MeetingId, MeetingStatus Status, int? Rating, FollowUpKind? FollowUp, long? ContractKrw);
