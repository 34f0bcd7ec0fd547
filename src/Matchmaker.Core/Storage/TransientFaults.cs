using Microsoft.Data.Sqlite;
using Npgsql;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Matchmaker.Core.Storage;

/// <summary>
/// Named Polly pipelines for transient store faults, and what counts as one. Only SQLite's BUSY (5) and LOCKED (6), and
/// PostgreSQL's serialization failure (40001), deadlock (40P01) and lock timeout (55P03) are retried, and a connection lost
/// before the commit was sent (<see cref="LostBeforeCommitException"/>): anything else (constraint violations, bad SQL, a
/// connection lost while committing) is a real error, or one whose outcome is unknown, and fails at once.
/// </summary>
public static class TransientFaults
{
    /// <summary>
    /// Name of the pipeline for the short writes someone waits for (a request, a decision, an organiser's edit, an
    /// account): bounded as a whole, its turn, its retries and its work, by <see cref="StoreOptions.WriteTimeoutSeconds"/>;
    /// past it the write is given up with a <see cref="TimeoutRejectedException"/> (the API answers 503 store_busy). The
    /// bound is seen at each step that takes the token (opening, the event's turn, beginning, each retry, the commit); a
    /// statement waiting for a lock ends by the store's lock timeout (<see cref="StoreOptions.BusyTimeoutMilliseconds"/>)
    /// and its retry then finds the bound passed, so a write held up by another ends within about the bound plus one lock
    /// timeout.
    /// </summary>
    public const string StoreWrite = "store-write";

    /// <summary>
    /// Name of the pipeline for the one transaction of a background job (an import, a timetable draft, a score set, a
    /// training): the same retries, but no bound on the whole, since a very large import on a loaded server takes longer
    /// than any bound fit for a short write, and failing it then throws its work away. Its waits are bounded all the same:
    /// each statement's wait for a lock by the store (<see cref="StoreOptions.BusyTimeoutMilliseconds"/>, then a retry),
    /// and the retries by their count.
    /// </summary>
    public const string StoreJobWrite = "store-job-write";

    public static bool IsTransient(Exception exception) => exception switch
    {
        LostBeforeCommitException => true,
        SqliteException { SqliteErrorCode: 5 or 6 } => true,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable } => true,
        _ => false,
    };

    /// <summary>
    /// The connection to PostgreSQL is gone, or the server cannot be reached: it restarted or failed over, an administrator
    /// ended the session (57P01, which is what every pooled connection answers after a restart), it crashed (57P02) or is
    /// still starting (57P03), a connection exception (class 08), or Npgsql's own failure to read or write the socket
    /// (an <see cref="NpgsqlException"/> that is no server answer, over an I/O or socket error). After a restart every
    /// idle connection of the pool is dead alike; Npgsql (since 6) drops the whole pool when a connection breaks on one of
    /// these, so only the request or job that met the first one fails (LostConnectionTests pins this), and the change
    /// listener drops it even before that (<see cref="EventChanges.ListenAsync"/>). Looked for through inner exceptions,
    /// since callers wrap them (<see cref="LostBeforeCommitException"/>).
    /// </summary>
    public static bool IsLostConnection(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            switch (e)
            {
                case PostgresException { SqlState: var state }:
                    return state is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                           || state.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { InnerException: IOException or System.Net.Sockets.SocketException }:
                    return true;
            }
        return false;
    }

    /// <summary>A constraint of the store refused the write (unique, check, foreign key): SQLite's CONSTRAINT (19), PostgreSQL's
    /// class 23. The double-booking guard is one.</summary>
    public static bool IsConstraintViolation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19 } => true,
        PostgresException { SqlState: var state } when state.StartsWith("23", StringComparison.Ordinal) => true,
        _ => false,
    };

    /// <param name="writeTimeoutSeconds">The bound of a short write (<see cref="StoreOptions.WriteTimeoutSeconds"/>).</param>
    public static ResiliencePipelineRegistry<string> CreateRegistry(TimeProvider clock, int writeTimeoutSeconds = StoreOptions.DefaultWriteTimeoutSeconds)
    {
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            MaxRetryAttempts = 6,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
        };
        var registry = new ResiliencePipelineRegistry<string>();
        registry.TryAddBuilder(StoreWrite, (builder, _) =>
        {
            builder.TimeProvider = clock;
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(writeTimeoutSeconds) }).AddRetry(retry);
        });
        registry.TryAddBuilder(StoreJobWrite, (builder, _) =>
        {
            builder.TimeProvider = clock;
            builder.AddRetry(retry);
        });
        return registry;
    }
}

/// <summary>
/// A write transaction lost its connection before its commit was sent, so PostgreSQL rolled it back: nothing of it was
/// written, and the pipelines run it again on a fresh connection like a serialization failure. A connection lost while
/// the commit is under way is not wrapped (the commit may have happened), so such a write is never run again blindly.
/// </summary>
public sealed class LostBeforeCommitException(Exception lost)
    : Exception("The connection to the store was lost before the commit; the transaction was rolled back", lost);
