using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Core.Calendars;
using Matchmaker.Core.Events;
using Matchmaker.Core.Meetings;
using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api.Itineraries;

/// <summary>
/// What participants are told: an SME's itinerary and a buyer's agenda, as JSON, as a printable page and as a calendar
/// feed. Only live meetings are shown (what the published timetable put in the meetings table), cancelled ones included
/// so that calendars drop them. An SME sees only its own itinerary, a buyer only its own agenda; organisers see all.
/// </summary>
public static class ItinerariesApi
{
    const string Html = "text/html";
    const string Calendar = "text/calendar";

    public static IEndpointRouteBuilder MapItineraries(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events/{eventId}").WithTags("Itineraries")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessSetup.Participants);

        group.MapGet("/smes/{smeId:long}/itinerary", GetSmeItinerary).WithName(nameof(GetSmeItinerary))
            .WithSummary("An SME's itinerary: its live meetings in time order")
            .WithDescription("Slot, local and absolute times, buyer, hall, table, demand, status and calendar sequence of every meeting the " +
                "published timetable gives the SME (cancelled ones with status cancelled). The SME itself or an organiser.")
            .Produces<SmeItinerary>();
        group.MapGet("/smes/{smeId:long}/itinerary.html", GetSmeItineraryHtml).WithName(nameof(GetSmeItineraryHtml))
            .WithSummary("An SME's itinerary as a printable page (one A4 sheet)")
            .WithDescription("Korean by default; English with ?lang=en or Accept-Language: en. Cancelled meetings are struck through.")
            .Produces<string>(StatusCodes.Status200OK, Html);
        group.MapGet("/smes/{smeId:long}/itinerary.ics", GetSmeItineraryCalendar).WithName(nameof(GetSmeItineraryCalendar))
            .WithSummary("An SME's itinerary as an iCalendar feed (RFC 5545)")
            .WithDescription("One VEVENT per meeting with a stable UID (meeting-{id}@{eventId}.matchmaker) and SEQUENCE, times in the event's zone " +
                "(TZID=Asia/Seoul with its VTIMEZONE). Cancelled meetings stay in the feed as STATUS:CANCELLED so subscribed calendars remove them; " +
                "a re-published timetable updates entries instead of duplicating them. Calendar apps may pass the token as ?access_token=.")
            .Produces<string>(StatusCodes.Status200OK, Calendar);

        group.MapGet("/smes/{smeId:long}/itinerary-cancellations.ics", GetSmeCancellations).WithName(nameof(GetSmeCancellations))
            .WithSummary("The SME's cancelled meetings as an iTIP cancellation (METHOD:CANCEL, RFC 5546)")
            .WithDescription("For calendars that imported the itinerary instead of subscribing: importing this file removes the cancelled " +
                "meetings (same UIDs, higher SEQUENCE, STATUS:CANCELLED, ORGANIZER and ATTENDEE as iTIP requires).")
            .Produces<string>(StatusCodes.Status200OK, Calendar);
        group.MapGet("/buyers/{buyerId:long}/agenda", GetBuyerAgenda).WithName(nameof(GetBuyerAgenda))
            .WithSummary("A buyer's agenda: per table, the SMEs it meets, with their fit score")
            .WithDescription("Meetings grouped by table in time order; score is the pair's score in the published timetable version when it has one. " +
                "The buyer itself or an organiser.");
        group.MapGet("/buyers/{buyerId:long}/agenda.html", GetBuyerAgendaHtml).WithName(nameof(GetBuyerAgendaHtml))
            .WithSummary("A buyer's agenda as a printable page (one A4 sheet: slots down, tables across)")
            .WithDescription("Korean by default; English with ?lang=en or Accept-Language: en.")
            .Produces<string>(StatusCodes.Status200OK, Html);
        group.MapGet("/buyers/{buyerId:long}/agenda.ics", GetBuyerAgendaCalendar).WithName(nameof(GetBuyerAgendaCalendar))
            .WithSummary("A buyer's agenda as an iCalendar feed (RFC 5545)")
            .WithDescription("Same UIDs, SEQUENCE and cancellation rules as the SME feed; one VEVENT per meeting at any of the buyer's tables.")
            .Produces<string>(StatusCodes.Status200OK, Calendar);
        return routes;
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSmeItinerary(string eventId, long smeId, HttpContext http,
        EventIds eventIds, ParticipantViews views, EventStore events, Database database, CancellationToken cancellationToken)
    {
        if (await eventIds.FindAsync(eventId, cancellationToken) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return Problems.NotYours("smeId");
        NoStore(http);
        return await views.GetAsync(eventDbId, $"itinerary:{smeId}", async () =>
        {
            var (itinerary, _, problem) = await SmeItineraryAsync(eventId, smeId, lang: null, http, events, database, cancellationToken);
            return (itinerary, problem);
        });
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetSmeItineraryHtml(string eventId, long smeId,
        [FromQuery] string? lang, HttpContext http, EventStore events, Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (itinerary, text, problem) = await SmeItineraryAsync(eventId, smeId, lang, http, events, database, cancellationToken);
        if (problem is not null) return problem;
        NoStore(http);
        return TypedResults.Content(ItineraryHtml.Sme(itinerary!, text!, clock.GetUtcNow()), "text/html; charset=utf-8");
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSmeItineraryCalendar(string eventId, long smeId,
        [FromQuery] string? lang, HttpContext http, EventStore events, Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (itinerary, text, problem) = await SmeItineraryAsync(eventId, smeId, lang, http, events, database, cancellationToken);
        if (problem is not null) return problem;
        NoStore(http);
        var feed = ItineraryCalendar.Sme(itinerary!, text!);
        return TypedResults.Bytes(IcsWriter.ToBytes(feed, clock.GetUtcNow()), "text/calendar; charset=utf-8", $"{eventId}-sme-{smeId}.ics");
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSmeCancellations(string eventId, long smeId,
        [FromQuery] string? lang, HttpContext http, EventStore events, Database database, TimeProvider clock, CalendarOptions calendar,
        CancellationToken cancellationToken)
    {
        var (itinerary, text, problem) = await SmeItineraryAsync(eventId, smeId, lang, http, events, database, cancellationToken);
        if (problem is not null) return problem;
        NoStore(http);
        await using var connection = await database.OpenAsync(cancellationToken);
        var contact = await connection.ExecuteScalarAsync<string?>("""
            SELECT es.contact_email FROM event_smes es JOIN events e ON e.id = es.event_id WHERE e.event_id = @eventId AND es.sme_id = @smeId
            """, new { eventId, smeId });
        var organizer = new CalendarPerson(itinerary!.Event.Name, calendar.OrganizerEmail);
        var attendee = contact is { Length: > 0 } ? new CalendarPerson(itinerary.SmeName, contact) : null;
        var feed = ItineraryCalendar.Sme(itinerary with { Meetings = itinerary.Meetings.Where(m => m.Status == MeetingStatus.Cancelled).ToList() },
            text!);
        feed = feed with { Method = "CANCEL", Entries = feed.Entries.Select(e => e with { Organizer = organizer, Attendee = attendee }).ToList() };
        return TypedResults.Bytes(IcsWriter.ToBytes(feed, clock.GetUtcNow()), "text/calendar; charset=utf-8; method=CANCEL",
            $"{eventId}-sme-{smeId}-cancellations.ics");
    }

    static async Task<Results<Ok<BuyerAgenda>, ProblemHttpResult>> GetBuyerAgenda(string eventId, long buyerId, HttpContext http,
        EventStore events, Database database, CancellationToken cancellationToken)
    {
        var (agenda, _, _, problem) = await BuyerAgendaAsync(eventId, buyerId, lang: null, http, events, database, cancellationToken);
        if (problem is not null) return problem;
        NoStore(http);
        return TypedResults.Ok(agenda!);
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetBuyerAgendaHtml(string eventId, long buyerId,
        [FromQuery] string? lang, HttpContext http, EventStore events, Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (agenda, eventDbId, text, problem) = await BuyerAgendaAsync(eventId, buyerId, lang, http, events, database, cancellationToken);
        if (problem is not null) return problem;
        NoStore(http);
        var slots = await events.SlotsAsync(eventDbId, cancellationToken);
        return TypedResults.Content(ItineraryHtml.Buyer(agenda!, slots, text!, clock.GetUtcNow()), "text/html; charset=utf-8");
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetBuyerAgendaCalendar(string eventId, long buyerId,
        [FromQuery] string? lang, HttpContext http, EventStore events, Database database, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (agenda, _, text, problem) = await BuyerAgendaAsync(eventId, buyerId, lang, http, events, database, cancellationToken);
        if (problem is not null) return problem;
        NoStore(http);
        var feed = ItineraryCalendar.Buyer(agenda!, text!);
        return TypedResults.Bytes(IcsWriter.ToBytes(feed, clock.GetUtcNow()), "text/calendar; charset=utf-8", $"{eventId}-buyer-{buyerId}.ics");
    }

    /// <summary>
    /// The itinerary and the text in the asked language, or why the caller gets none: 404 for an unknown event or SME and for
    /// anyone but the SME or an organiser of the event; 400 for an unknown <paramref name="lang"/>, checked last, so that
    /// someone else's schedule is refused the same way whatever the query says.
    /// </summary>
    static async Task<(SmeItinerary? Itinerary, ItineraryText? Text, ProblemHttpResult? Problem)> SmeItineraryAsync(string eventId, long smeId,
        string? lang, HttpContext http, EventStore events, Database database, CancellationToken cancellationToken)
    {
        if (await events.FindAsync(eventId, cancellationToken) is not { Id: var eventDbId, Event: var @event }) return (null, null, Problems.EventNotFound(eventId));
        // Decided from the token alone, before anything is looked up, so the answer says nothing about other participants.
        if (!http.Caller().MayActAsSme(eventDbId, smeId)) return (null, null, Problems.NotYours("smeId"));
        await using var connection = await database.OpenAsync(cancellationToken);
        var sme = await connection.QuerySingleOrDefaultAsync<(string Name, string BusinessNumber)?>("""
            SELECT es.name, s.business_number FROM event_smes es JOIN smes s ON s.id = es.sme_id WHERE es.event_id = @eventDbId AND es.sme_id = @smeId
            """, new { eventDbId, smeId });
        if (sme is not { } found) return (null, null, Problems.NotFound($"Event '{eventId}' has no SME {smeId}.", "smeId"));
        if (!Languages.TryResolve(http.Request, lang, out var language)) return (null, null, Languages.Unknown());
        var meetings = await LiveMeetingRows.ReadAsync(connection, eventDbId, smeId: smeId);
        return (new SmeItinerary(EventOf(@event), smeId, found.Name, found.BusinessNumber, meetings.Select(m => new ItineraryMeeting(
            m.MeetingId, m.SlotCode, m.Day, m.LocalStart, m.LocalEnd, m.Start, m.End, m.Table, new ItineraryBuyer(m.BuyerId, m.BuyerCode, m.BuyerName),
            m.Hall, Demand(m), m.MeetingStatus, m.Sequence, m.UpdatedAt)).ToList()), ItineraryText.For(language), null);
    }

    /// <summary>
    /// The agenda and the text in the asked language, or why the caller gets none: 404 for an unknown event or buyer and for
    /// anyone but the buyer or an organiser of the event; 400 for an unknown <paramref name="lang"/>, checked last, as
    /// for <see cref="SmeItineraryAsync"/>.
    /// </summary>
    static async Task<(BuyerAgenda? Agenda, long EventDbId, ItineraryText? Text, ProblemHttpResult? Problem)> BuyerAgendaAsync(string eventId,
        long buyerId, string? lang, HttpContext http, EventStore events, Database database, CancellationToken cancellationToken)
    {
        if (await events.FindAsync(eventId, cancellationToken) is not { Id: var eventDbId, Event: var @event }) return (null, 0, null, Problems.EventNotFound(eventId));
        if (!http.Caller().MayActAsBuyer(eventDbId, buyerId)) return (null, eventDbId, null, Problems.NotYours("buyerId"));
        await using var connection = await database.OpenAsync(cancellationToken);
        var buyer = await connection.QuerySingleOrDefaultAsync<(string BuyerId, string Name, string? Hall, long Tables)?>("""
            SELECT b.buyer_id, eb.name, eb.hall, eb.tables FROM event_buyers eb JOIN buyers b ON b.id = eb.buyer_id
            WHERE eb.event_id = @eventDbId AND eb.buyer_id = @buyerId
            """, new { eventDbId, buyerId });
        if (buyer is not { } found) return (null, eventDbId, null, Problems.NotFound($"Event '{eventId}' has no buyer {buyerId}.", "buyerId"));
        if (!Languages.TryResolve(http.Request, lang, out var language)) return (null, eventDbId, null, Languages.Unknown());
        var meetings = await LiveMeetingRows.ReadAsync(connection, eventDbId, buyerId: buyerId);
        var tableCount = Math.Max((int)found.Tables, meetings.Select(m => m.Table).DefaultIfEmpty(0).Max());
        var tables = Enumerable.Range(1, tableCount).Select(table => new AgendaTable(table, meetings.Where(m => m.Table == table)
            .Select(m => new AgendaMeeting(m.MeetingId, m.SlotCode, m.Day, m.LocalStart, m.LocalEnd, m.Start, m.End,
                new AgendaSme(m.SmeId, m.SmeName, m.BusinessNumber, m.SmeSector, m.SmeRegion), Demand(m), m.Score, m.MeetingStatus, m.Sequence, m.UpdatedAt))
            .ToList())).ToList();
        return (new BuyerAgenda(EventOf(@event), buyerId, found.BuyerId, found.Name, found.Hall, tableCount, tables), eventDbId,
            ItineraryText.For(language), null);
    }

    static ItineraryEvent EventOf(Event e) => new(e.EventId, e.Name, e.Venue, e.TimeZone);

    static ItineraryDemand? Demand(LiveMeetingRow m) =>
        m.DemandId is { } id ? new ItineraryDemand(id, m.DemandCode ?? "", m.DemandTitle ?? "") : null;

    // Schedules are personal and change on the day: never cached by shared caches, always revalidated.
    static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "private, no-cache";
}

public sealed record ItineraryEvent(string EventId, string Name, string Venue, string TimeZone);
public sealed record ItineraryBuyer(long Id, string BuyerId, string Name);
public sealed record ItineraryDemand(long Id, string DemandId, string Title);

/// <summary>One meeting of an SME's itinerary.</summary>
/// <param name="LocalStart">In the event's time zone; <paramref name="Start"/> is the same instant with its offset.</param>
/// <param name="Sequence">Raised on every change of slot or table and on cancellation (the calendar SEQUENCE).</param>
/// <param name="UpdatedAt">When the meeting last changed.</param>
public sealed record ItineraryMeeting(long MeetingId, string Slot, int Day, DateTime LocalStart, DateTime LocalEnd, DateTimeOffset Start,
    DateTimeOffset End, int Table, ItineraryBuyer Buyer, string? Hall, ItineraryDemand? Demand, MeetingStatus Status, int Sequence,
    DateTimeOffset UpdatedAt);

/// <summary>An SME's meetings at an event, in time order.</summary>
public sealed record SmeItinerary(ItineraryEvent Event, long SmeId, string SmeName, string BusinessNumber, IReadOnlyList<ItineraryMeeting> Meetings);

public sealed record AgendaSme(long Id, string Name, string BusinessNumber, string? Sector, string? Region);

/// <summary>One meeting at a buyer's table.</summary>
/// <param name="Score">The pair's score in the published timetable version; null when that version has none (e.g. past events).</param>
public sealed record AgendaMeeting(long MeetingId, string Slot, int Day, DateTime LocalStart, DateTime LocalEnd, DateTimeOffset Start,
    DateTimeOffset End, AgendaSme Sme, ItineraryDemand? Demand, double? Score, MeetingStatus Status, int Sequence, DateTimeOffset UpdatedAt);

public sealed record AgendaTable(int Table, IReadOnlyList<AgendaMeeting> Meetings);

/// <summary>A buyer's meetings at an event, per table (1 … TableCount), each in time order.</summary>
public sealed record BuyerAgenda(ItineraryEvent Event, long BuyerId, string BuyerCode, string Name, string? Hall, int TableCount,
    IReadOnlyList<AgendaTable> Tables);
