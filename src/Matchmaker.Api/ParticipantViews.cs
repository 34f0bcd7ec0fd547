using System.Collections.Concurrent;
using System.Text.Json;
using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api;

/// <summary>
/// Prepared JSON answers of the busiest participant reads (an SME's recommendations and itinerary), kept while nothing
/// changed for the event in this process (<see cref="EventChanges"/>) and for at most <see cref="MaxAge"/>, which bounds
/// how stale an answer can be after a write by another process (a standalone worker's rescoring). Access is checked by
/// the caller before asking, so a prepared answer is only ever served to someone allowed to see it.
/// </summary>
public sealed class ParticipantViews(Database database, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    readonly ConcurrentDictionary<(long Event, string Key), (long Version, DateTimeOffset Until, byte[] Json)> _views = new();

    public async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync<T>(long eventDbId, string key,
        Func<Task<(T? Value, ProblemHttpResult? Problem)>> build)
    {
        var version = database.Changes.Version(eventDbId);
        var now = clock.GetUtcNow();
        if (_views.TryGetValue((eventDbId, key), out var view) && view.Version == version && view.Until > now)
            return TypedResults.Bytes(view.Json, "application/json; charset=utf-8");
        var (value, problem) = await build();
        if (problem is not null) return problem;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, json.Value.SerializerOptions);
        _views[(eventDbId, key)] = (version, now + MaxAge, bytes);
        return TypedResults.Bytes(bytes, "application/json; charset=utf-8");
    }
}
