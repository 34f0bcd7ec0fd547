using Matchmaker.Core.Messages;
using System.ComponentModel.DataAnnotations;
using Matchmaker.Core;
using Matchmaker.Api.Idempotency;
using System.ComponentModel;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Recommendations;
using Matchmaker.Core.Events;
using Dapper;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Requests;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Timetables;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Requests;

/// <summary>
/// Introduction requests: the organiser opens and closes the window; an SME asks, sees and withdraws its own requests; a
/// buyer sees its inbox and accepts (optionally booking a slot) or declines with a reason.
/// </summary>
public static class RequestsApi
{
    public static IEndpointRouteBuilder MapRequests(this IEndpointRouteBuilder routes)
    {
        var events = routes.MapGroup("/api/events/{eventId}").WithTags("Requests")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        events.MapPut("/request-window", SetRequestWindow).WithName(nameof(SetRequestWindow))
            .WithSummary("Open or close introduction requests; closing expires the requests still pending").RequireAuthorization(AccessSetup.Organisers);

        var sme = events.MapGroup("/smes/{smeId:long}/requests").RequireAuthorization(AccessSetup.Participants).RequireRateLimiting(RateLimits.Participants);
        sme.MapPost("/", CreateRequest).WithName(nameof(CreateRequest))
            .Answers(StatusCodes.Status400BadRequest, "request.priority_range", "request.pitch_too_long", "request.name_buyer", "demand_not_in_event", "request.demand_of_other_buyer", "buyer_not_in_event")
            .Answers(StatusCodes.Status404NotFound, "sme_not_in_event")
            .Answers(StatusCodes.Status409Conflict, "request.window_closed", "request.already_open", "request.too_many_open").WithMetadata(new IdempotentAttribute())
            .WithSummary("Request an introduction to a buyer or one of its demands (priority 1–3, a short pitch)")
            .WithDescription("Limited to the event's number of open requests per SME. Send an Idempotency-Key header to make retries safe.");
        sme.MapGet("/", ListSmeRequests).WithName(nameof(ListSmeRequests)).WithSummary("The SME's own requests and their states");
        sme.MapPost("/{requestId:long}/withdraw", WithdrawRequest).WithName(nameof(WithdrawRequest))
            .Answers(StatusCodes.Status404NotFound, "request_not_found")
            .Answers(StatusCodes.Status409Conflict, "request.cannot_become").WithSummary("Withdraw a pending request");

        var buyer = events.MapGroup("/buyers/{buyerId:long}/requests").RequireAuthorization(AccessSetup.Participants).RequireRateLimiting(RateLimits.Participants);
        buyer.MapGet("/", BuyerInbox).WithName(nameof(BuyerInbox))
            .Answers(StatusCodes.Status400BadRequest, "request.state_values").WithSummary("The buyer's inbox of requests (?state=pending)");
        buyer.MapPost("/{requestId:long}/accept", AcceptRequest).WithName(nameof(AcceptRequest))
            .Answers(StatusCodes.Status400BadRequest, SlotRefusals.Invalid)
            .Answers(StatusCodes.Status404NotFound, "request_not_found")
            .Answers(StatusCodes.Status409Conflict, "request.cannot_become", "meeting.not_published", "meeting.tables_full", "meeting.slot_taken")
            .Answers(StatusCodes.Status409Conflict, SlotRefusals.Conflict)
            .WithSummary("Accept a request; with a slot, book the meeting into the published timetable at once (first come, first served)");
        buyer.MapPost("/{requestId:long}/decline", DeclineRequest).WithName(nameof(DeclineRequest))
            .Answers(StatusCodes.Status404NotFound, "request_not_found")
            .Answers(StatusCodes.Status409Conflict, "request.cannot_become").WithSummary("Decline a request, with a reason");
        return routes;
    }

    static async Task<Results<NoContent, ProblemHttpResult>> SetRequestWindow(string eventId, RequestWindow window, HttpContext http,
        RequestService requests, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        await requests.SetWindowAsync(eventDbId, window.Open, cancellationToken);
        return TypedResults.NoContent();
    }

    static async Task<Results<Created<RequestView>, ProblemHttpResult>> CreateRequest(string eventId, long smeId, NewRequest request, HttpContext http,
        RequestService requests, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return Problems.NotYours("smeId");
        try
        {
            var id = await requests.CreateAsync(eventDbId, smeId, request.BuyerId, request.DemandId, request.Priority ?? 2, request.Pitch, cancellationToken);
            var created = (await requests.ViewAsync(eventDbId, id, cancellationToken))!;
            return TypedResults.Created($"/api/events/{eventId}/smes/{smeId}/requests/{id}", created);
        }
        catch (RefusedException e)
        {
            return Problems.Refused(e);
        }
    }

    static async Task<Results<Ok<IReadOnlyList<RequestView>>, ProblemHttpResult>> ListSmeRequests(string eventId, long smeId, HttpContext http,
        RequestService requests, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return Problems.NotYours("smeId");
        return TypedResults.Ok(await requests.ListAsync(eventDbId, smeId, null, null, cancellationToken));
    }

    static async Task<Results<Ok<RequestView>, ProblemHttpResult>> WithdrawRequest(string eventId, long smeId, long requestId, HttpContext http,
        RequestService requests, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return Problems.NotYours("smeId");
        return await Decide(requests, eventDbId, requestId, (r, at) => r.Withdraw(at), r => r.SmeId == smeId, null, cancellationToken);
    }

    static async Task<Results<Ok<IReadOnlyList<InboxItem>>, ProblemHttpResult>> BuyerInbox(string eventId, long buyerId, HttpContext http,
        RequestService requests, ScoreStore scores, Database database, CancellationToken cancellationToken,
        [Description("pending, accepted, declined, withdrawn or expired")] string? state = null)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsBuyer(eventDbId, buyerId)) return Problems.NotYours("buyerId");
        RequestState? filter = null;
        if (state is not null)
        {
            if (!SnakeCase.TryParse<RequestState>(state, out var parsed)) return Problems.BadRequest(new Message("request.state_values"), "state");
            filter = parsed;
        }
        var inbox = await requests.ListAsync(eventDbId, null, buyerId, filter, cancellationToken);
        // The buyer decides with the SME's fit in view: its score and the explanation, and its public profile.
        var smeIds = inbox.Select(r => r.SmeId).Distinct().ToArray();
        var bySme = (await scores.ForBuyerAndSmesAsync(eventDbId, buyerId, smeIds, cancellationToken)).ToDictionary(m => m.SmeId);
        await using var connection = await database.OpenAsync(cancellationToken);
        var profiles = (await connection.QueryAsync<InboxSme>($"""
            SELECT sme_id AS Id, region AS Region, sector AS Sector, employees AS Employees, certifications AS Certifications,
                   export_record AS ExportRecord, description AS Description, keywords AS Keywords, trl AS Trl
            FROM event_smes WHERE event_id = @eventDbId AND {connection.In("sme_id", "@smeIds")}
            """, new { eventDbId, smeIds })).ToDictionary(p => p.Id);
        // Once the timetable is published a pending request can be booked on acceptance: into the slots the availability
        // rule (the solver's) leaves free for that SME and this buyer, the same slots the SME is shown.
        var published = inbox.Any(r => r.State == RequestState.Pending) && await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM timetables WHERE event_id = @eventDbId AND status = 'published')", new { eventDbId });
        var availability = published ? await EventAvailability.LiveForAsync(connection, null, eventDbId, buyerId, smeIds) : null;
        var slots = published ? (await connection.QueryAsync<FreeSlot>(
            "SELECT code AS Code, local_start AS LocalStart, local_end AS LocalEnd FROM slots WHERE event_id = @eventDbId", new { eventDbId }))
            .ToDictionary(s => s.Code) : [];
        IReadOnlyList<FreeSlot>? FreeSlots(RequestView r) => availability is null || r.State != RequestState.Pending ? null
            : availability.FreeSlots(TimetableInputs.SmeKey(r.SmeId), TimetableInputs.BuyerKey(buyerId)).Select(code => slots[code]).ToList();
        return TypedResults.Ok<IReadOnlyList<InboxItem>>(inbox.Select(r => new InboxItem(r.RequestId, r.SmeId, r.SmeName, r.BuyerId, r.BuyerName,
            r.DemandId, r.DemandTitle, r.Priority, r.Pitch, r.State, r.CreatedAt, r.DecidedAt, r.DecisionReason, r.MeetingId,
            bySme.GetValueOrDefault(r.SmeId)?.Score, bySme.GetValueOrDefault(r.SmeId)?.Explanation, profiles.GetValueOrDefault(r.SmeId),
            FreeSlots(r))).ToList());
    }

    static async Task<Results<Ok<RequestView>, ProblemHttpResult>> AcceptRequest(string eventId, long buyerId, long requestId, AcceptDecision? decision,
        HttpContext http, RequestService requests, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsBuyer(eventDbId, buyerId)) return Problems.NotYours("buyerId");
        return await Decide(requests, eventDbId, requestId, (r, at) => r.Accept(at), r => r.BuyerId == buyerId, decision?.Slot, cancellationToken);
    }

    static async Task<Results<Ok<RequestView>, ProblemHttpResult>> DeclineRequest(string eventId, long buyerId, long requestId, DeclineDecision? decision,
        HttpContext http, RequestService requests, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsBuyer(eventDbId, buyerId)) return Problems.NotYours("buyerId");
        return await Decide(requests, eventDbId, requestId, (r, at) => r.Decline(at, decision?.Reason), r => r.BuyerId == buyerId, null, cancellationToken);
    }

    static async Task<Results<Ok<RequestView>, ProblemHttpResult>> Decide(RequestService requests, long eventDbId, long requestId,
        Func<IntroductionRequest, DateTimeOffset, IntroductionRequest> decide, Func<IntroductionRequest, bool> owns, string? slot,
        CancellationToken cancellationToken)
    {
        try
        {
            var (decided, _) = await requests.DecideAsync(eventDbId, requestId, decide, owns, slot, cancellationToken);
            return TypedResults.Ok((await requests.ViewAsync(eventDbId, requestId, cancellationToken))!);
        }
        catch (RefusedException e)
        {
            return Problems.Refused(e);
        }
    }

}

public sealed record RequestWindow(bool Open);
/// <summary>An SME's public profile as a buyer sees it in the inbox (no contact details).</summary>
public sealed class InboxSme
{
    public long Id { get; init; }
    public string? Region { get; init; }
    public string? Sector { get; init; }
    public long? Employees { get; init; }
    public string Certifications { get; init; } = "";
    public bool? ExportRecord { get; init; }
    public string Description { get; init; } = "";
    public string Keywords { get; init; } = "";
    public long? Trl { get; init; }
}
/// <summary>
/// A request in a buyer's inbox, with the SME's match score, its explanation and public profile (when scored), and for a
/// pending request once the timetable is published, the slots it can be booked into on acceptance.
/// </summary>
public sealed record InboxItem(long RequestId, long SmeId, string SmeName, long BuyerId, string BuyerName, long? DemandId, string? DemandTitle,
    int Priority, string Pitch, RequestState State, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecisionReason, long? MeetingId,
    double? Score, Matchmaker.Core.Matching.MatchExplanation? Explanation, InboxSme? Sme, IReadOnlyList<FreeSlot>? FreeSlots = null);
/// <summary>An introduction request: a buyer, or one of its demands (the buyer follows from it).</summary>
public sealed record NewRequest(long? BuyerId = null, long? DemandId = null, int? Priority = 2, string? Pitch = null);
/// <summary>Accept; give a slot (e.g. D2-03) to book the meeting into the published timetable now.</summary>
public sealed record AcceptDecision(string? Slot = null);
public sealed record DeclineDecision([property: StringLength(500, ErrorMessage = "request.reason_too_long")] string? Reason = null);
