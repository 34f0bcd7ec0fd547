using Microsoft.Data.Sqlite;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Matchmaker.Core.Storage;

/// <summary>
/// Named Polly pipelines for transient store faults. Only SQLite's BUSY (5) and LOCKED (6) are retried: anything else
/// (constraint violations, bad SQL) is a real error and fails at once. Each pipeline has an overall timeout.
/// </summary>
public static class TransientFaults
{
    /// <summary>Name of the pipeline for writes to the SQLite store.</summary>
    public const string SqliteWrite = "sqlite-write";

    public static bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 };

    public static ResiliencePipelineRegistry<string> CreateRegistry(TimeProvider clock)
    {
        var registry = new ResiliencePipelineRegistry<string>();
        registry.TryAddBuilder(SqliteWrite, (builder, _) =>
        {
            builder.TimeProvider = clock;
            builder
                .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(60) })
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<SqliteException>(IsTransient),
                    MaxRetryAttempts = 6,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(100),
                });
        });
        return registry;
    }
}
