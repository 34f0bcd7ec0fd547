using Matchmaker.Core.Messages;
using Matchmaker.Api.Idempotency;
using System.ComponentModel;
using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Core.Access;
using Matchmaker.Core.Events;
using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Events;

/// <summary>Read endpoints for events, their participants and slots.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events").WithTags("Events").ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessSetup.Participants);
        group.MapGet("/", ListEvents).WithName(nameof(ListEvents)).WithSummary("Events, newest first");
        group.MapPost("/", CreateEvent).WithName(nameof(CreateEvent))
            .Answers(StatusCodes.Status409Conflict, "event.exists").WithMetadata(new IdempotentAttribute()).WithSummary("Create an event: days, windows, breaks, slot length, halls")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AccessSetup.Organisers);
        group.MapPut("/{eventId}", UpdateEvent).WithName(nameof(UpdateEvent))
            .Answers(StatusCodes.Status400BadRequest, "event.id_cannot_change")
            .Answers(StatusCodes.Status409Conflict, "event.locked")
            .WithSummary("Change an event's settings; days, windows, breaks and slot length only while it has no timetable")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AccessSetup.Organisers);
        group.MapGet("/{eventId}", GetEvent).WithName(nameof(GetEvent)).WithSummary("One event with its days, windows and breaks");
        group.MapGet("/{eventId}/buyers", ListBuyers).WithName(nameof(ListBuyers)).WithSummary("Buyers taking part, with their demands");
        group.MapGet("/{eventId}/smes", ListSmes).WithName(nameof(ListSmes)).WithSummary("SMEs taking part, paged");
        group.MapGet("/{eventId}/slots", ListSlots).WithName(nameof(ListSlots)).WithSummary("Consultation slots in time order");
        return routes;
    }

    static async Task<Ok<IReadOnlyList<EventSummary>>> ListEvents(HttpContext http, Database database, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventSummaryRow>("""
            SELECT e.event_id AS EventId, e.name AS Name, e.venue AS Venue,
                   (SELECT MIN(local_start) FROM slots s WHERE s.event_id = e.id) AS FirstSlot,
                   (SELECT MAX(local_end) FROM slots s WHERE s.event_id = e.id) AS LastSlot,
                   (SELECT COUNT(*) FROM event_buyers b WHERE b.event_id = e.id) AS Buyers,
                   (SELECT COUNT(*) FROM event_smes s WHERE s.event_id = e.id) AS Smes,
                   (SELECT COUNT(*) FROM demands d WHERE d.event_id = e.id) AS Demands,
                   (SELECT COUNT(*) FROM slots s WHERE s.event_id = e.id) AS Slots,
                   e.id AS Id
            FROM events e
            ORDER BY FirstSlot DESC, e.event_id
            """);
        // Only the events the token may see: the administrator all, staff their granted ones, a participant its own.
        return TypedResults.Ok<IReadOnlyList<EventSummary>>(rows.Where(r => caller.MaySee(r.Id))
            .Select(r => new EventSummary(r.EventId, r.Name, r.Venue, r.FirstSlot, r.LastSlot, r.Buyers, r.Smes, r.Demands, r.Slots))
            .ToList());
    }

    static async Task<Results<Created<EventDetails>, ValidationProblem, ProblemHttpResult>> CreateEvent(
        EventDefinition definition, HttpContext http, EventStore events, Accounts accounts, CancellationToken cancellationToken)
    {
        var @event = definition.ToEvent();
        var errors = @event.Validate();
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        try
        {
            await events.CreateAsync(@event, cancellationToken);
        }
        catch (EventAlreadyExistsException)
        {
            return Problems.Conflict(new Message("event.exists", @event.EventId), "eventId");
        }
        EventScope.AuditEvent(http, @event.EventId);
        // An organiser runs the event it created; the administrator sees every event anyway.
        if (http.Caller() is { Role: Role.Organiser, AccountId: { } accountId } organiser
            && await events.FindAsync(@event.EventId, cancellationToken) is { Id: var eventDbId })
            await accounts.GrantAsync(organiser, accountId, eventDbId, @event.EventId, cancellationToken);
        return TypedResults.Created($"/api/events/{@event.EventId}", ToDetails(@event));
    }

    static async Task<Results<Ok<EventDetails>, ValidationProblem, ProblemHttpResult>> UpdateEvent(string eventId, EventDefinition definition,
        EventStore events, HttpContext http, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (definition.EventId != eventId) return Problems.BadRequest(new Message("event.id_cannot_change"), "eventId");
        var @event = definition.ToEvent();
        var errors = @event.Validate();
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        try
        {
            await events.UpdateAsync(eventDbId, @event, cancellationToken);
        }
        catch (EventLockedException e)
        {
            return Problems.Conflict(new Message("event.locked", e.EventId), "days");
        }
        return TypedResults.Ok(ToDetails(@event));
    }

    static async Task<Results<Ok<EventDetails>, ProblemHttpResult>> GetEvent(string eventId, EventStore events, CancellationToken cancellationToken)
    {
        var found = await events.FindAsync(eventId, cancellationToken);
        if (found is not { Id: var id, Event: var e }) return Problems.EventNotFound(eventId);
        return TypedResults.Ok(ToDetails(e) with { RequestsOpen = await events.RequestsOpenAsync(id, cancellationToken) });
    }

    static EventDetails ToDetails(Event e) => new(e.EventId, e.Name, e.Venue, e.TimeZone, e.SlotMinutes, e.ChangeoverMinutes,
        e.Days.Select(d => new EventDayDto(d.Date, d.Windows.Select(w => new TimeWindowDto(w.Start, w.End)).ToList(),
            d.Breaks.Select(w => new TimeWindowDto(w.Start, w.End)).ToList())).ToList(),
        e.Halls, e.TravelMinutes, e.MinMeetingsPerSme, e.MaxOpenRequestsPerSme);

    static async Task<Results<Ok<IReadOnlyList<BuyerListItem>>, ProblemHttpResult>> ListBuyers(string eventId, Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var eventDbId = await connection.ExecuteScalarAsync<long?>("SELECT id FROM events WHERE event_id = @eventId", new { eventId });
        if (eventDbId is null) return Problems.EventNotFound(eventId);
        var buyers = (await connection.QueryAsync<BuyerRow>("""
            SELECT b.id AS Id, b.buyer_id AS BuyerId, eb.name AS Name, eb.kind AS Kind, eb.sector AS Sector,
                   eb.ksic_codes AS KsicCodes, eb.region AS Region, eb.meeting_cap AS MeetingCap, eb.tables AS Tables, eb.hall AS Hall
            FROM event_buyers eb JOIN buyers b ON b.id = eb.buyer_id
            WHERE eb.event_id = @eventDbId
            ORDER BY eb.name, b.id
            """, new { eventDbId })).ToList();
        var demands = (await connection.QueryAsync<DemandRow>("""
            SELECT id AS Id, buyer_id AS BuyerDbId, demand_id AS DemandId, title AS Title, description AS Description,
                   ksic_codes AS KsicCodes, required_certifications AS RequiredCertifications, budget_band AS BudgetBand
            FROM demands WHERE event_id = @eventDbId
            ORDER BY demand_id
            """, new { eventDbId })).ToLookup(d => d.BuyerDbId);
        return TypedResults.Ok<IReadOnlyList<BuyerListItem>>(buyers.Select(b => new BuyerListItem(
            b.Id, b.BuyerId, b.Name, b.Kind, b.Sector, Lists.Split(b.KsicCodes), b.Region, (int)b.MeetingCap, (int)b.Tables, b.Hall,
            demands[b.Id].Select(d => new DemandItem(d.Id, d.DemandId, d.Title, d.Description, Lists.Split(d.KsicCodes),
                Lists.Split(d.RequiredCertifications), d.BudgetBand)).ToList())).ToList());
    }

    /// <summary>
    /// Staff see every SME of the event with its business number. A buyer sees the SMEs' public profiles without business
    /// numbers; an SME sees only itself: other SMEs are competitors, and no SME page needs them.
    /// </summary>
    static async Task<Results<Ok<Paged<SmeListItem>>, ProblemHttpResult, ValidationProblem>> ListSmes(
        string eventId, HttpContext http, Database database, CancellationToken cancellationToken,
        [Description("1-based page number")] int page = 1,
        [Description("Items per page, 1–200")] int pageSize = 50)
    {
        var errors = new Dictionary<string, Message[]>();
        if (page < 1) errors["page"] = [new("must_be_positive")];
        if (pageSize is < 1 or > 200) errors["pageSize"] = [new("must_be_between", 1, 200)];
        if (errors.Count > 0) return Problems.Invalid(errors);
        await using var connection = await database.OpenAsync(cancellationToken);
        var eventDbId = await connection.ExecuteScalarAsync<long?>("SELECT id FROM events WHERE event_id = @eventId", new { eventId });
        if (eventDbId is null) return Problems.EventNotFound(eventId);
        var caller = http.Caller();
        var only = caller.Role == Role.Sme ? caller.SmeId : null;
        var total = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM event_smes WHERE event_id = @eventDbId AND (@only IS NULL OR sme_id = @only)",
            new { eventDbId, only });
        var rows = await connection.QueryAsync<SmeRow>("""
            SELECT s.id AS Id, s.business_number AS BusinessNumber, es.name AS Name, es.region AS Region, es.sector AS Sector,
                   es.employees AS Employees, es.ksic_codes AS KsicCodes, es.certifications AS Certifications,
                   es.export_record AS ExportRecord, es.description AS Description, es.keywords AS Keywords, es.trl AS Trl,
                   es.meeting_cap AS MeetingCap
            FROM event_smes es JOIN smes s ON s.id = es.sme_id
            WHERE es.event_id = @eventDbId AND (@only IS NULL OR es.sme_id = @only)
            ORDER BY es.name, s.id
            LIMIT @pageSize OFFSET @offset
            """, new { eventDbId, only, pageSize, offset = (page - 1) * pageSize });
        var numbers = caller.Role != Role.Buyer;
        return TypedResults.Ok(new Paged<SmeListItem>(rows.Select(s => new SmeListItem(s.Id, numbers ? s.BusinessNumber : null, s.Name, s.Region, s.Sector,
            (int?)s.Employees, Lists.Split(s.KsicCodes), Lists.Split(s.Certifications), s.ExportRecord is null ? null : s.ExportRecord != 0,
            s.Description, Lists.Split(s.Keywords), (int?)s.Trl, (int)s.MeetingCap)).ToList(), page, pageSize, total));
    }

    static async Task<Results<Ok<IReadOnlyList<SlotItem>>, ProblemHttpResult>> ListSlots(string eventId, EventStore events, CancellationToken cancellationToken)
    {
        var found = await events.FindAsync(eventId, cancellationToken);
        if (found is not { Id: var id }) return Problems.EventNotFound(eventId);
        var slots = await events.SlotsAsync(id, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SlotItem>>(slots.Select(s => new SlotItem(s.Code, s.Day, s.LocalStart, s.LocalEnd, s.Start, s.End)).ToList());
    }

    // A class, not a positional record: SQLite reports no column type for computed columns when there are no rows,
    // and Dapper's constructor matching needs exact types.
    sealed class EventSummaryRow
    {
        public string EventId { get; init; } = "";
        public string Name { get; init; } = "";
        public string Venue { get; init; } = "";
        public string? FirstSlot { get; init; }
        public string? LastSlot { get; init; }
        public int Buyers { get; init; }
        public int Smes { get; init; }
        public int Demands { get; init; }
        public int Slots { get; init; }
        public long Id { get; init; }
    }

    sealed record BuyerRow(long Id, string BuyerId, string Name, string? Kind, string? Sector, string KsicCodes, string? Region, long MeetingCap, long Tables, string? Hall);
    sealed record DemandRow(long Id, long BuyerDbId, string DemandId, string Title, string Description, string KsicCodes, string RequiredCertifications, string? BudgetBand);
    sealed record SmeRow(long Id, string BusinessNumber, string Name, string? Region, string? Sector, long? Employees, string KsicCodes,
        string Certifications, long? ExportRecord, string Description, string Keywords, long? Trl, long MeetingCap);
}

public sealed record EventSummary(string EventId, string Name, string Venue, string? FirstSlot, string? LastSlot, int Buyers, int Smes, int Demands, int Slots);
public sealed record TimeWindowDto(TimeOnly Start, TimeOnly End);
public sealed record EventDayDto(DateOnly Date, IReadOnlyList<TimeWindowDto> Windows, IReadOnlyList<TimeWindowDto> Breaks);
/// <summary>What an organiser sends to create an event; omitted settings take the usual expo defaults.</summary>
public sealed record EventDefinition(string EventId, string Name, IReadOnlyList<EventDayDto> Days, string? Venue = null,
    string? TimeZone = null, int SlotMinutes = 30, int ChangeoverMinutes = 5, IReadOnlyList<string>? Halls = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? TravelMinutes = null, int MinMeetingsPerSme = 2,
    int MaxOpenRequestsPerSme = 5)
{
    public Event ToEvent() => new(EventId ?? "", Name ?? "", Venue ?? "", TimeZone ?? "Asia/Seoul", SlotMinutes, ChangeoverMinutes,
        (Days ?? []).Select(d => new EventDay(d.Date, (d.Windows ?? []).Select(w => new TimeWindow(w.Start, w.End)).ToList(),
            (d.Breaks ?? []).Select(w => new TimeWindow(w.Start, w.End)).ToList())).ToList(),
        Halls ?? [], TravelMinutes ?? new Dictionary<string, IReadOnlyDictionary<string, int>>(), MinMeetingsPerSme, MaxOpenRequestsPerSme);
}

public sealed record EventDetails(string EventId, string Name, string Venue, string TimeZone, int SlotMinutes, int ChangeoverMinutes,
    IReadOnlyList<EventDayDto> Days, IReadOnlyList<string> Halls, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> TravelMinutes,
    int MinMeetingsPerSme, int MaxOpenRequestsPerSme)
{
    /// <summary>Whether the organiser has opened introduction requests.</summary>
    public bool RequestsOpen { get; init; }
}
public sealed record DemandItem(long Id, string DemandId, string Title, string Description, IReadOnlyList<string> KsicCodes,
    IReadOnlyList<string> RequiredCertifications, string? BudgetBand);
public sealed record BuyerListItem(long Id, string BuyerId, string Name, string? Kind, string? Sector, IReadOnlyList<string> KsicCodes,
    string? Region, int MeetingCap, int Tables, string? Hall, IReadOnlyList<DemandItem> Demands);
/// <param name="BusinessNumber">For staff and the SME itself; never shown to buyers.</param>
public sealed record SmeListItem(long Id, string? BusinessNumber, string Name, string? Region, string? Sector, int? Employees,
    IReadOnlyList<string> KsicCodes, IReadOnlyList<string> Certifications, bool? ExportRecord, string Description,
    IReadOnlyList<string> Keywords, int? Trl, int MeetingCap);
public sealed record SlotItem(string Code, int Day, DateTime LocalStart, DateTime LocalEnd, DateTimeOffset Start, DateTimeOffset End);
/// <summary>One page of a list, with the total count so clients can page.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
