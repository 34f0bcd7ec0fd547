using System.Collections.Concurrent;

namespace Matchmaker.Core.Storage;

/// <summary>
/// A counter per event, raised after every committed write of this process that changes what participants see (requests,
/// live meetings, scores, participants). Readers that keep a prepared answer compare counters instead of asking the
/// store; writes by another process (a standalone worker) are not counted here, so such caches also expire by time.
/// </summary>
public sealed class EventChanges
{
    readonly ConcurrentDictionary<long, long> _versions = new();

    public long Version(long eventDbId) => _versions.GetValueOrDefault(eventDbId);

    public void Touch(long eventDbId) => _versions.AddOrUpdate(eventDbId, 1, (_, v) => v + 1);
}
