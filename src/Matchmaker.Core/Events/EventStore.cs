using System.Globalization;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Storage;
using Polly.Registry;

namespace Matchmaker.Core.Events;

/// <summary>Writes events with their derived slots, and reads them back.</summary>
public sealed class EventStore(Database database, TimeProvider clock, Polly.Registry.ResiliencePipelineProvider<string>? pipelines = null)
{
    // Writes run through the store-write pipeline (a PostgreSQL serialization failure is run again, not answered as 500).
    readonly Polly.Registry.ResiliencePipelineProvider<string> _pipelines = pipelines ?? TransientFaults.CreateRegistry(clock);

    /// <summary>Creates the event and its slots in one transaction; returns the store's id of the event.</summary>
    /// <exception cref="EventAlreadyExistsException">an event with that id exists.</exception>
    public Task<long> CreateAsync(Event @event, CancellationToken cancellationToken = default) =>
        _pipelines.WriteAsync(database, (connection, transaction, _) => CreateAsync(connection, transaction, @event), cancellationToken);

    public async Task<long> CreateAsync(DbConnection connection, DbTransaction transaction, Event @event)
    {
        var exists = await connection.ExecuteScalarAsync<long?>("SELECT id FROM events WHERE event_id = @EventId", new { @event.EventId }, transaction);
        if (exists is not null) throw new EventAlreadyExistsException(@event.EventId);
        var now = clock.GetUtcNow();
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO events (event_id, name, venue, time_zone, slot_minutes, changeover_minutes, days_json, halls_json,
                                travel_minutes_json, min_meetings_per_sme, max_open_requests_per_sme, created_at, updated_at)
            VALUES (@EventId, @Name, @Venue, @TimeZone, @SlotMinutes, @ChangeoverMinutes, @days, @halls,
                    @travel, @MinMeetingsPerSme, @MaxOpenRequestsPerSme, @now, @now)
            RETURNING id
            """, new
        {
            @event.EventId, @event.Name, @event.Venue, @event.TimeZone, @event.SlotMinutes, @event.ChangeoverMinutes,
            days = EventFile.WriteDays(@event.Days),
            halls = EventFile.WriteJson(@event.Halls),
            travel = EventFile.WriteJson(@event.TravelMinutes),
            @event.MinMeetingsPerSme, @event.MaxOpenRequestsPerSme, now,
        }, transaction);
        await InsertSlotsAsync(connection, transaction, id, @event);
        return id;
    }

    static async Task InsertSlotsAsync(DbConnection connection, DbTransaction transaction, long id, Event @event)
    {
        foreach (var slot in @event.Slots())
            await connection.ExecuteAsync("""
                INSERT INTO slots (event_id, code, day, local_start, local_end, starts_at, ends_at)
                VALUES (@id, @Code, @Day, @localStart, @localEnd, @Start, @End)
                """, new
            {
                id, slot.Code, slot.Day,
                localStart = slot.LocalStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
                localEnd = slot.LocalEnd.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
                slot.Start, slot.End,
            }, transaction);
    }

    /// <summary>
    /// Changes an event's definition in one transaction. Name, venue, halls, travel minutes and the request and fairness
    /// settings can always change; the days, windows, breaks and slot length only while the event has no timetable, because
    /// published meetings hang on its slots.
    /// </summary>
    /// <exception cref="EventLockedException">the slots would change but a timetable exists.</exception>
    public async Task UpdateAsync(long eventDbId, Event @event, CancellationToken cancellationToken = default)
    {
        await _pipelines.WriteAsync(database, async (connection, transaction, _) =>
        {
            var current = (await connection.QuerySingleAsync<EventRow>($"{SelectEvent} WHERE id = @eventDbId", new { eventDbId }, transaction)).ToEvent();
            var slotsChange = !current.Slots().SequenceEqual(@event.Slots());
            if (slotsChange)
            {
                var used = await connection.ExecuteScalarAsync<long>("""
                    SELECT (SELECT COUNT(*) FROM timetables WHERE event_id = @eventDbId) + (SELECT COUNT(*) FROM meetings WHERE event_id = @eventDbId)
                    """, new { eventDbId }, transaction);
                if (used > 0) throw new EventLockedException(@event.EventId);
            }
            await connection.ExecuteAsync("""
                UPDATE events SET name = @Name, venue = @Venue, time_zone = @TimeZone, slot_minutes = @SlotMinutes,
                       changeover_minutes = @ChangeoverMinutes, days_json = @days, halls_json = @halls, travel_minutes_json = @travel,
                       min_meetings_per_sme = @MinMeetingsPerSme, max_open_requests_per_sme = @MaxOpenRequestsPerSme, updated_at = @now
                WHERE id = @eventDbId
                """, new
            {
                eventDbId, @event.Name, @event.Venue, @event.TimeZone, @event.SlotMinutes, @event.ChangeoverMinutes,
                days = EventFile.WriteDays(@event.Days), halls = EventFile.WriteJson(@event.Halls), travel = EventFile.WriteJson(@event.TravelMinutes),
                @event.MinMeetingsPerSme, @event.MaxOpenRequestsPerSme, now = clock.GetUtcNow(),
            }, transaction);
            if (slotsChange)
            {
                await connection.ExecuteAsync("DELETE FROM slots WHERE event_id = @eventDbId", new { eventDbId }, transaction);
                await InsertSlotsAsync(connection, transaction, eventDbId, @event);
            }
            return 0;
        }, cancellationToken);
        await database.Changes.TouchAsync(eventDbId);
    }

    /// <summary>Whether SMEs may send introduction requests now (the organiser's request window).</summary>
    public async Task<bool> RequestsOpenAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>("SELECT requests_open FROM events WHERE id = @eventDbId", new { eventDbId });
    }

    /// <summary>The event and its store id, or null when there is none with that id.</summary>
    public async Task<(long Id, Event Event)?> FindAsync(string eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>($"{SelectEvent} WHERE event_id = @eventId", new { eventId });
        return row is null ? null : (row.Id, row.ToEvent());
    }

    /// <summary>The event with store id <paramref name="eventDbId"/>, read on the caller's connection (and transaction).</summary>
    public static async Task<Event> ReadAsync(DbConnection connection, DbTransaction? transaction, long eventDbId) =>
        (await connection.QuerySingleAsync<EventRow>($"{SelectEvent} WHERE id = @eventDbId", new { eventDbId }, transaction)).ToEvent();

    public async Task<IReadOnlyList<Slot>> SlotsAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Code, long Day, string LocalStart, string LocalEnd, DateTimeOffset StartsAt, DateTimeOffset EndsAt)>("""
            SELECT code, day, local_start, local_end, starts_at, ends_at FROM slots WHERE event_id = @eventDbId ORDER BY starts_at, code
            """, new { eventDbId });
        return rows.Select(r => new Slot(r.Code, (int)r.Day,
            DateTime.ParseExact(r.LocalStart, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            DateTime.ParseExact(r.LocalEnd, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            r.StartsAt, r.EndsAt)).ToList();
    }

    internal const string SelectEvent = """
        SELECT id AS Id, event_id AS EventId, name AS Name, venue AS Venue, time_zone AS TimeZone,
               slot_minutes AS SlotMinutes, changeover_minutes AS ChangeoverMinutes, days_json AS DaysJson,
               halls_json AS HallsJson, travel_minutes_json AS TravelJson, min_meetings_per_sme AS MinMeetingsPerSme,
               max_open_requests_per_sme AS MaxOpenRequestsPerSme
        FROM events
        """;

    sealed record EventRow(long Id, string EventId, string Name, string Venue, string TimeZone, long SlotMinutes,
        long ChangeoverMinutes, string DaysJson, string HallsJson, string TravelJson, long MinMeetingsPerSme, long MaxOpenRequestsPerSme)
    {
        public Event ToEvent() => new(EventId, Name, Venue, TimeZone, (int)SlotMinutes, (int)ChangeoverMinutes,
            EventFile.ReadDays(DaysJson), EventFile.ReadJson<List<string>>(HallsJson),
            EventFile.ReadJson<Dictionary<string, Dictionary<string, int>>>(TravelJson)
                .ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value),
            (int)MinMeetingsPerSme, (int)MaxOpenRequestsPerSme);
    }
}

/// <summary>The change would move the event's slots, but a timetable already hangs on them.</summary>
public sealed class EventLockedException(string eventId)
    : InvalidOperationException($"event '{eventId}' already has a timetable: its days, windows, breaks and slot length can no longer change")
{
    public string EventId { get; } = eventId;
}

/// <summary>An event with the same id is already in the store.</summary>
public sealed class EventAlreadyExistsException(string eventId) : InvalidOperationException($"event '{eventId}' already exists")
{
    public string EventId { get; } = eventId;
}
