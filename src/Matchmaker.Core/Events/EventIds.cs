using System.Collections.Concurrent;
using Dapper;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Events;

/// <summary>
/// The store id of an event by its public id, remembered once found: event ids never change and events are never
/// deleted, so hot read paths (a participant's recommendations) skip a query per request.
/// </summary>
public sealed class EventIds(Database database)
{
    readonly ConcurrentDictionary<string, long> _known = new(StringComparer.Ordinal);

    public async Task<long?> FindAsync(string eventId, CancellationToken cancellationToken = default)
    {
        if (_known.TryGetValue(eventId, out var id)) return id;
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await connection.ExecuteScalarAsync<long?>("SELECT id FROM events WHERE event_id = @eventId", new { eventId });
        if (found is { } f) _known[eventId] = f;
        return found;
    }
}
