using System.Collections.Concurrent;
using System.Text.Json;
using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api;

/// <summary>
/// Prepared JSON answers of the busiest participant reads (an SME's recommendations and itinerary), kept while nothing
/// changed for the event (<see cref="EventChanges"/>). On PostgreSQL every process hears every other's writes, so an
/// answer is dropped at once wherever the write happened (<see cref="MaxAgeListening"/> only bounds a change whose
/// announcement was lost with a dying process), and none is served while the change notifications are down. On SQLite
/// only this process's writes are counted, and <see cref="MaxAge"/> bounds how stale an answer can be after a write by
/// another process (a standalone worker's rescoring). Access is checked by the caller before asking, so a prepared answer
/// is only ever served to someone allowed to see it.
/// </summary>
public sealed class ParticipantViews(Database database, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxAgeListening = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<(long Event, string Key), (long Version, DateTimeOffset Until, byte[] Json)> _views = new();

    public async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync<T>(long eventDbId, string key,
        Func<Task<(T? Value, ProblemHttpResult? Problem)>> build)
    {
        var changes = database.Changes;
        var version = changes.Version(eventDbId); // before building: a change heard meanwhile makes the new answer stale at once
        var now = clock.GetUtcNow();
        if (changes.Trusted && _views.TryGetValue((eventDbId, key), out var view) && view.Version == version && view.Until > now)
            return TypedResults.Bytes(view.Json, "application/json; charset=utf-8");
        var (value, problem) = await build();
        if (problem is not null) return problem;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, json.Value.SerializerOptions);
        _views[(eventDbId, key)] = (version, now + (changes.SeesOtherProcesses ? MaxAgeListening : MaxAge), bytes);
        return TypedResults.Bytes(bytes, "application/json; charset=utf-8");
    }
}
