using System.Text.Json;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Jobs;

/// <summary>Where a background job stands.</summary>
public enum JobState { Queued, Running, Succeeded, Failed }

/// <summary>A background job as users see it: state, progress 0–1, a message, and its report once finished.</summary>
public sealed record JobStatus(string JobId, string Kind, string? EventId, JobState State, double Progress, string Message,
    JsonElement? Report, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    /// <summary>The message's catalogue code (set when the message is rendered for a reader, see <see cref="JobMessages"/>).</summary>
    public string? MessageCode { get; init; }
}

/// <summary>The file a job works on, kept in the store so that the job can run again after a crash.</summary>
public sealed record JobInput(string FileName, byte[] Content, string Options);

/// <summary>Persists jobs and their inputs (tables jobs, job_inputs).</summary>
public sealed class JobStore(Database database, TimeProvider clock, Polly.Registry.ResiliencePipelineProvider<string>? pipelines = null)
{
    readonly Polly.Registry.ResiliencePipelineProvider<string> _pipelines = pipelines ?? TransientFaults.CreateRegistry(clock);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<string> CreateAsync(string kind, long? eventDbId, JobInput? input, CancellationToken cancellationToken = default)
    {
        var jobId = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");
        return await _pipelines.WriteAsync(database, async (connection, transaction, _) =>
        {
            await connection.ExecuteAsync("""
                INSERT INTO jobs (id, kind, event_id, state, progress, message, created_at)
                VALUES (@jobId, @kind, @eventDbId, 'queued', 0, 'queued', @now)
                """, new { jobId, kind, eventDbId, now = clock.GetUtcNow() }, transaction);
            if (input is not null)
                await connection.ExecuteAsync("""
                    INSERT INTO job_inputs (job_id, file_name, content, options) VALUES (@jobId, @FileName, @Content, @Options)
                    """, new { jobId, input.FileName, input.Content, input.Options }, transaction);
            return jobId;
        }, cancellationToken);
    }

    public async Task<JobStatus?> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>("""
            SELECT j.id AS JobId, j.kind AS Kind, e.event_id AS EventId, j.state AS State, j.progress AS Progress,
                   j.message AS Message, j.report_json AS ReportJson, j.attempts AS Attempts, j.created_at AS CreatedAt,
                   j.started_at AS StartedAt, j.finished_at AS FinishedAt
            FROM jobs j LEFT JOIN events e ON e.id = j.event_id
            WHERE j.id = @jobId
            """, new { jobId });
        return row?.ToStatus();
    }

    public async Task<JobInput?> InputAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<JobInput>(
            "SELECT file_name AS FileName, content AS Content, options AS Options FROM job_inputs WHERE job_id = @jobId",
            new { jobId });
    }

    // First keys of the two-key advisory locks: one run of a job at a time (the second key is the job id's hash), and one
    // run of a kind of work at a time, whichever job asks for it (the second key is the work's name's hash). The
    // migrations' lock is a one-key lock, whose first half is 0, so none of them meet.
    const int RunLockSpace = 0x4A4F4253; // "JOBS"
    const int WorkLockSpace = 0x574F524B; // "WORK"

    // On SQLite one process runs the jobs, so a kind of work is kept to one run at a time inside it (per store file).
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> WorkInProcess = new();

    /// <summary>
    /// Runs <paramref name="work"/> (one run of the job) while no other process runs the same job. On PostgreSQL several
    /// workers share the jobs, and an engine hands a job to another worker when the one running it stops checking in: dead,
    /// or only paused (a long garbage collection, a frozen virtual machine) and about to go on. The run holds an advisory
    /// lock on the job for its whole length, on a connection of its own, so a second run waits until the first has ended;
    /// it then finds the job finished and does nothing, or runs it if the first died (a dead process's locks go with its
    /// connection). <paramref name="waiting"/> is told when a run has to wait. SQLite has one process running jobs.
    /// </summary>
    public async Task RunAloneAsync(string jobId, Func<Task> work, Action waiting, CancellationToken cancellationToken = default)
    {
        if (!database.IsPostgres)
        {
            await work();
            return;
        }
        await HoldAdvisoryLockAsync(RunLockSpace, jobId, wait: true, work, waiting, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> while no other run of the same kind of work (<paramref name="workName"/>, e.g. the
    /// recommender's training) goes on, in any process and whichever job it belongs to: the same advisory lock as
    /// <see cref="RunAloneAsync"/>, keyed by the work instead of the job (on SQLite, where one process runs the jobs, a lock
    /// in this process). When another run holds it, <paramref name="wait"/> says whether to wait for it (and then run;
    /// <paramref name="waiting"/> is told) or to return false at once without running.
    /// </summary>
    public async Task<bool> RunExclusiveAsync(string workName, bool wait, Func<Task> work, Action waiting, CancellationToken cancellationToken = default)
    {
        if (database.IsPostgres) return await HoldAdvisoryLockAsync(WorkLockSpace, workName, wait, work, waiting, cancellationToken);
        var gate = WorkInProcess.GetOrAdd($"{database.ConnectionString}|{workName}", _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            if (!wait) return false;
            waiting();
            await gate.WaitAsync(cancellationToken);
        }
        try
        {
            await work();
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<bool> HoldAdvisoryLockAsync(int space, string name, bool wait, Func<Task> work, Action waiting, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var key = new { space, name };
        if (!await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@space, hashtext(@name))", key))
        {
            if (!wait) return false;
            waiting();
            // As long as the other run takes: the connection's lock_timeout is meant for row locks.
            await connection.ExecuteAsync(new CommandDefinition(
                "SET lock_timeout = 0; SELECT pg_advisory_lock(@space, hashtext(@name)); RESET lock_timeout", key,
                commandTimeout: 0, cancellationToken: cancellationToken));
        }
        try
        {
            await work();
            return true;
        }
        finally
        {
            await connection.ReleaseSessionLockAsync("SELECT pg_advisory_unlock(@space, hashtext(@name))", key);
        }
    }

    /// <summary>Marks the job running and counts the attempt (a second attempt means the first was interrupted).</summary>
    public async Task<int> StartAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("""
            UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = @now, progress = 0,
                            message = CASE WHEN attempts > 0 THEN 'resumed after an interruption' ELSE 'running' END
            WHERE id = @jobId
            RETURNING attempts
            """, new { jobId, now = clock.GetUtcNow() });
    }

    public async Task ReportProgressAsync(string jobId, double progress, string message, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE jobs SET progress = @progress, message = @message WHERE id = @jobId",
            new { jobId, progress = Math.Clamp(progress, 0, 1), message });
    }

    /// <summary>Finishes the job; pass the connection and transaction of the job's own writes so both commit together.</summary>
    public Task FinishAsync(DbConnection connection, DbTransaction? transaction, string jobId, bool succeeded, string message, object? report) =>
        connection.ExecuteAsync("""
            UPDATE jobs SET state = @state, progress = 1, message = @message, report_json = @reportJson, finished_at = @now
            WHERE id = @jobId
            """, new
        {
            jobId,
            state = succeeded ? "succeeded" : "failed",
            message,
            reportJson = report is null ? null : JsonSerializer.Serialize(report, Json),
            now = clock.GetUtcNow(),
        }, transaction);

    public async Task FinishAsync(string jobId, bool succeeded, string message, object? report, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await FinishAsync(connection, null, jobId, succeeded, message, report);
    }

    /// <summary>Marks a job failed unless it has already finished (its own transaction may have committed before the fault).</summary>
    public async Task FailUnfinishedAsync(string jobId, string message, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("""
            UPDATE jobs SET state = 'failed', progress = 1, message = @message, finished_at = @now
            WHERE id = @jobId AND state IN ('queued', 'running')
            """, new { jobId, message, now = clock.GetUtcNow() });
    }

    sealed record JobRow(string JobId, string Kind, string? EventId, string State, double Progress, string Message,
        string? ReportJson, long Attempts, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
    {
        public JobStatus ToStatus() => new(JobId, Kind, EventId, SnakeCase.Parse<JobState>(State), Progress, Message,
            ReportJson is null ? null : JsonDocument.Parse(ReportJson).RootElement.Clone(), (int)Attempts, CreatedAt, StartedAt, FinishedAt);
    }
}
