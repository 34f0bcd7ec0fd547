using Microsoft.Data.Sqlite;
using Npgsql;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Matchmaker.Core.Storage;

/// <summary>
/// Named Polly pipelines for transient store faults, and what counts as one. Only SQLite's BUSY (5) and LOCKED (6), and
/// PostgreSQL's serialization failure (40001), deadlock (40P01) and lock timeout (55P03) are retried: anything else
/// (constraint violations, bad SQL) is a real error and fails at once. Each pipeline has an overall timeout.
/// </summary>
public static class TransientFaults
{
    /// <summary>Name of the pipeline for writes to the store (either provider).</summary>
    public const string StoreWrite = "store-write";

    public static bool IsTransient(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => true,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable } => true,
        _ => false,
    };

    /// <summary>A constraint of the store refused the write (unique, check, foreign key): SQLite's CONSTRAINT (19), PostgreSQL's
    /// class 23. The double-booking guard is one.</summary>
    public static bool IsConstraintViolation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19 } => true,
        PostgresException { SqlState: var state } when state.StartsWith("23", StringComparison.Ordinal) => true,
        _ => false,
    };

    public static ResiliencePipelineRegistry<string> CreateRegistry(TimeProvider clock)
    {
        var registry = new ResiliencePipelineRegistry<string>();
        registry.TryAddBuilder(StoreWrite, (builder, _) =>
        {
            builder.TimeProvider = clock;
            builder
                .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(60) })
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                    MaxRetryAttempts = 6,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(100),
                });
        });
        return registry;
    }
}
