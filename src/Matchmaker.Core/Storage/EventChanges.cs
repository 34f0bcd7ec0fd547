using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Matchmaker.Core.Storage;

/// <summary>
/// What readers that keep a prepared answer (an SME's recommendations, a checked token) compare instead of asking the
/// store: a counter per event, raised after every committed write that changes what participants see (requests, live
/// meetings, scores, participants), and a counter of access changes (a revoked token, a grant, a disabled account).
/// <para>
/// On SQLite the counters see this process's writes only: a standalone worker beside the API on the same file is not
/// heard, so such caches also expire by time (<see cref="SeesOtherProcesses"/> is false). On PostgreSQL every write is
/// also announced with NOTIFY on <see cref="Channel"/>, and <see cref="ListenAsync"/> (a hosted service in every process)
/// raises the counters when another process announces one, so every process drops its answer at once. While that
/// listening connection is down the answers must not be trusted at all (<see cref="Trusted"/> is false); when it is back,
/// everything counts as changed, since what was announced in between is lost.
/// </para>
/// </summary>
public sealed class EventChanges
{
    /// <summary>The PostgreSQL channel of change announcements.</summary>
    public const string Channel = "matchmaker_changes";

    /// <summary>The <c>application_name</c> of the listening connection (pg_stat_activity).</summary>
    public const string ListenerApplicationName = "matchmaker-listener";

    /// <summary>How long a write waits to hear its own announcement back (see <see cref="TouchAsync"/>) before going on.</summary>
    static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(2);

    readonly ConcurrentDictionary<long, long> _versions = new();
    readonly ConcurrentDictionary<long, TaskCompletionSource> _echoes = new();
    readonly string? _connectionString;
    readonly TimeProvider _clock;
    // Who announced: notifications from this process were counted when they were written and only complete the echo.
    readonly string _origin = Guid.NewGuid().ToString("N")[..12];
    long _everything;
    long _access;
    long _sequence;
    volatile bool _listening;

    /// <param name="connectionString">PostgreSQL's connection string; null on SQLite (no announcements).</param>
    public EventChanges(string? connectionString = null, TimeProvider? clock = null)
    {
        _connectionString = connectionString;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Whether writes of other processes raise the counters (PostgreSQL): then a prepared answer needs no expiry.</summary>
    public bool SeesOtherProcesses => _connectionString is not null;

    /// <summary>Whether a prepared answer may be served at all: always on SQLite; on PostgreSQL only while this process
    /// listens for the other processes' announcements.</summary>
    public bool Trusted => _connectionString is null || _listening;

    /// <summary>The event's counter; it only ever grows (a change of the event, or of everything, raises it).</summary>
    public long Version(long eventDbId) => _versions.GetValueOrDefault(eventDbId) + Interlocked.Read(ref _everything);

    /// <summary>The access counter (tokens, grants, accounts); it only ever grows.</summary>
    public long AccessVersion => Interlocked.Read(ref _access) + Interlocked.Read(ref _everything);

    /// <summary>
    /// Counts a committed change of the event and, on PostgreSQL, announces it to the other processes. When this process
    /// listens, it waits (briefly) until its own announcement comes back: PostgreSQL signals every listener at once, so
    /// when this returns, the answer to the request that wrote can be followed by a read in another process that sees it.
    /// Call it after the commit, never inside the transaction (a write that is rolled back is not announced).
    /// </summary>
    public Task TouchAsync(long eventDbId)
    {
        Raise(eventDbId);
        return AnnounceAsync($"e:{eventDbId}");
    }

    /// <summary>
    /// Announces a change of the event inside the transaction that writes it (PostgreSQL delivers it at the commit, with
    /// the data): for the writes of a job, whose end others watch in the store (the job's state), so that the
    /// announcement is out before anyone can see the job finished. Call <see cref="Committed"/> after the commit.
    /// </summary>
    public async Task AnnounceWithinAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, long eventDbId)
    {
        if (_connectionString is null || connection is not NpgsqlConnection) return;
        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        notify.Parameters.AddWithValue("channel", Channel);
        notify.Parameters.AddWithValue("payload", $"{_origin}|{Interlocked.Increment(ref _sequence)}|e:{eventDbId}");
        await notify.ExecuteNonQueryAsync();
    }

    /// <summary>Counts, in this process, a change already announced within its transaction (<see cref="AnnounceWithinAsync"/>).</summary>
    public void Committed(long eventDbId) => Raise(eventDbId);

    /// <summary>Counts a committed change of access (a revoked token, a grant, an account) and announces it.</summary>
    public Task TouchAccessAsync()
    {
        Interlocked.Increment(ref _access);
        return AnnounceAsync("a");
    }

    void Raise(long eventDbId) => _versions.AddOrUpdate(eventDbId, 1, (_, v) => v + 1);

    void RaiseEverything() => Interlocked.Increment(ref _everything);

    async Task AnnounceAsync(string what)
    {
        if (_connectionString is null) return;
        var sequence = Interlocked.Increment(ref _sequence);
        var echo = _listening ? _echoes.GetOrAdd(sequence, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)) : null;
        try
        {
            // Not cancellable: the change is committed, and the other processes must hear of it even if the caller gave up.
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", $"{_origin}|{sequence}|{what}");
            await notify.ExecuteNonQueryAsync(CancellationToken.None);
            if (echo is not null)
                try { await echo.Task.WaitAsync(EchoWait, _clock); }
                catch (TimeoutException) { } // the listener reconnects and then counts everything as changed
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException)
        {
            // The write is committed and must not be reported as failed. A server this process cannot reach has most
            // likely dropped the others' listening connections too, and each counts everything as changed when back.
        }
        finally
        {
            _echoes.TryRemove(sequence, out _);
        }
    }

    /// <summary>
    /// Listens for the other processes' announcements until <paramref name="stoppingToken"/> (PostgreSQL only; returns at
    /// once on SQLite). One dedicated connection waits for notifications; when it breaks, answers are not trusted until it
    /// is open again (retried with a growing pause, up to 30 s), and then everything counts as changed.
    /// </summary>
    public async Task ListenAsync(ILogger logger, CancellationToken stoppingToken)
    {
        if (_connectionString is null) return;
        // Not pooled: a LISTEN belongs to this one session, which must not go back to the pool (Npgsql would reset it).
        var builder = new NpgsqlConnectionStringBuilder(_connectionString)
        {
            Pooling = false, KeepAlive = 15, TcpKeepAlive = true,
            ApplicationName = ListenerApplicationName, // so that pg_stat_activity tells it from the pooled connections
        };
        var pause = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) => Heard(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Whatever was announced while no one listened is lost: everything counts as changed, then trusted again.
                RaiseEverything();
                _listening = true;
                pause = TimeSpan.FromMilliseconds(250);
                logger.LogInformation("Listening for changes of other processes on {Channel}", Channel);
                while (true)
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
                    {
                        // Quiet for a while: make sure the server is still there (a dead peer is otherwise noticed late).
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            // Whatever broke the session (the server restarted, the network, a bad password after a rotation): listening must
            // go on, so nothing here may end the loop, which would stop the host.
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                _listening = false;
                RaiseEverything();
                // This connection is the one that hears first when the server restarts (it waits on its socket): the pooled
                // connections died with it, and are dropped now rather than when a request meets the first of them (Npgsql
                // drops a pool itself only when one of its own connections breaks; this one is not pooled).
                if (TransientFaults.IsLostConnection(exception))
                {
                    using var pooled = new NpgsqlConnection(_connectionString);
                    NpgsqlConnection.ClearPool(pooled);
                }
                logger.LogWarning(exception, "Lost the change notifications; prepared answers are not used until they are back (next try in {Pause})", pause);
                try { await Task.Delay(pause, _clock, stoppingToken); }
                catch (OperationCanceledException) { break; }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
        _listening = false;
        RaiseEverything();
    }

    void Heard(string payload)
    {
        var parts = payload.Split('|', 3);
        if (parts.Length != 3) { RaiseEverything(); return; }
        if (parts[0] == _origin)
        {
            if (long.TryParse(parts[1], out var sequence) && _echoes.TryGetValue(sequence, out var echo)) echo.TrySetResult();
            return;
        }
        if (parts[2] == "a") Interlocked.Increment(ref _access);
        else if (parts[2].StartsWith("e:", StringComparison.Ordinal) && long.TryParse(parts[2].AsSpan(2), out var eventDbId)) Raise(eventDbId);
        else RaiseEverything();
    }
}
