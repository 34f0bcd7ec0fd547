using Matchmaker.Core.Messages;
using Matchmaker.Api.Access;
using Matchmaker.Core.Events;
using Matchmaker.Core.Profiles;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Profiles;

/// <summary>
/// A participant's profile as registered for one event, with its contact (name, e-mail, mobile), language and opt-out:
/// read and the contact changed by the participant itself or an organiser, nobody else. The change stays in the event;
/// the same company's profile in another event is untouched.
/// </summary>
public static class ProfilesApi
{
    public static IEndpointRouteBuilder MapProfiles(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events/{eventId}").WithTags("Profiles")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessSetup.Participants);
        group.MapGet("/smes/{smeId:long}/profile", GetSmeProfile).WithName(nameof(GetSmeProfile))
            .Answers(StatusCodes.Status404NotFound, "sme_not_in_event_id")
            .WithSummary("An SME's profile in this event, with its contact, language and opt-out (the SME itself or an organiser)");
        group.MapPut("/smes/{smeId:long}/contact", SetSmeContact).WithName(nameof(SetSmeContact))
            .Answers(StatusCodes.Status404NotFound, "sme_not_in_event_id")
            .WithSummary("Change an SME's contact, language and opt-out for this event only (the SME itself or an organiser)")
            .ProducesValidationProblem();
        group.MapGet("/buyers/{buyerId:long}/profile", GetBuyerProfile).WithName(nameof(GetBuyerProfile))
            .Answers(StatusCodes.Status404NotFound, "buyer_not_in_event_id")
            .WithSummary("A buyer's profile in this event, with its contact, language and opt-out (the buyer itself or an organiser)");
        group.MapPut("/buyers/{buyerId:long}/contact", SetBuyerContact).WithName(nameof(SetBuyerContact))
            .Answers(StatusCodes.Status404NotFound, "buyer_not_in_event_id")
            .WithSummary("Change a buyer's contact, language and opt-out for this event only (the buyer itself or an organiser)")
            .ProducesValidationProblem();
        routes.MapGet("/api/events/{eventId}/contacts", ListContacts).WithTags("Profiles").WithName(nameof(ListContacts))
            .WithSummary("Every participant's contact, language and opt-out for the event (organisers only)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessSetup.Organisers);
        return routes;
    }

    static async Task<Results<Ok<IReadOnlyList<ParticipantContact>>, ProblemHttpResult>> ListContacts(string eventId, HttpContext http,
        EventProfiles profiles, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        return TypedResults.Ok(await profiles.ContactsAsync(eventDbId, cancellationToken));
    }

    static async Task<Results<Ok<SmeProfile>, ProblemHttpResult>> GetSmeProfile(string eventId, long smeId, HttpContext http, EventProfiles profiles, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return Problems.NotYours("smeId");
        return await profiles.SmeAsync(eventDbId, smeId, cancellationToken) is { } profile
            ? TypedResults.Ok(profile)
            : Problems.NotFound(new Message("sme_not_in_event_id", smeId, eventId), "smeId");
    }

    static async Task<Results<Ok<BuyerProfile>, ProblemHttpResult>> GetBuyerProfile(string eventId, long buyerId, HttpContext http, EventStore events,
        EventProfiles profiles, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsBuyer(eventDbId, buyerId)) return Problems.NotYours("buyerId");
        return await profiles.BuyerAsync(eventDbId, buyerId, cancellationToken) is { } profile
            ? TypedResults.Ok(profile)
            : Problems.NotFound(new Message("buyer_not_in_event_id", buyerId, eventId), "buyerId");
    }

    static async Task<Results<Ok<SmeProfile>, ValidationProblem, ProblemHttpResult>> SetSmeContact(string eventId, long smeId, ContactChange change,
        HttpContext http, EventProfiles profiles, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return Problems.NotYours("smeId");
        var (normal, errors) = EventProfiles.Check(change);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!await profiles.SetSmeContactAsync(eventDbId, smeId, normal, cancellationToken))
            return Problems.NotFound(new Message("sme_not_in_event_id", smeId, eventId), "smeId");
        return TypedResults.Ok((await profiles.SmeAsync(eventDbId, smeId, cancellationToken))!);
    }

    static async Task<Results<Ok<BuyerProfile>, ValidationProblem, ProblemHttpResult>> SetBuyerContact(string eventId, long buyerId, ContactChange change,
        HttpContext http, EventProfiles profiles, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsBuyer(eventDbId, buyerId)) return Problems.NotYours("buyerId");
        var (normal, errors) = EventProfiles.Check(change);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!await profiles.SetBuyerContactAsync(eventDbId, buyerId, normal, cancellationToken))
            return Problems.NotFound(new Message("buyer_not_in_event_id", buyerId, eventId), "buyerId");
        return TypedResults.Ok((await profiles.BuyerAsync(eventDbId, buyerId, cancellationToken))!);
    }
}
