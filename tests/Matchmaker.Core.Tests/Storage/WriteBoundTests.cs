using Dapper;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Storage;
using Polly.Timeout;

namespace Matchmaker.Core.Tests.Storage;

/// <summary>
/// The store-write pipeline bounds a short write as a whole (<see cref="StoreOptions.WriteTimeoutSeconds"/>); a job's own
/// transaction goes through store-job-write, which is not held to that bound, so a very large import on a loaded
/// server no longer fails for taking longer. No clock is read: the short write starts while the job's write is open
/// and is refused at the bound, so the job's write has outlasted the bound when it commits.
/// </summary>
public class WriteBoundTests
{
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task A_job_write_outlasting_the_bound_commits_while_a_short_write_waiting_on_it_that_long_is_refused(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.Database.MigrateAsync();
        var pipelines = TransientFaults.CreateRegistry(TimeProvider.System, writeTimeoutSeconds: 1);
        var jobId = await new JobStore(store.Database, TimeProvider.System, pipelines).CreateAsync("import", null, null);
        const string Write = "UPDATE jobs SET message = @message WHERE id = @jobId";

        var jobWriting = new TaskCompletionSource();
        var shortRefused = new TaskCompletionSource();
        var jobWrite = pipelines.GetPipeline(TransientFaults.StoreJobWrite).ExecuteAsync(async ct =>
        {
            await using var connection = await store.Database.OpenAsync(ct);
            await using var transaction = await connection.BeginWriteAsync(ct);
            await connection.ExecuteAsync(Write, new { jobId, message = "written by the job" }, transaction);
            jobWriting.TrySetResult();
            await shortRefused.Task; // the job's write goes on (holding its locks) until the short write has been given up
            await transaction.CommitAsync(ct);
        });
        await jobWriting.Task;

        // The same row, so the short write waits for the job's transaction (SQLite: the file's write lock; PostgreSQL:
        // the row lock), longer than its bound.
        var shortWrite = () => pipelines.WriteAsync(store.Database, (connection, transaction, _) =>
            connection.ExecuteAsync(Write, new { jobId, message = "written by the short write" }, transaction));
        await shortWrite.Should().ThrowAsync<TimeoutRejectedException>();
        shortRefused.SetResult();
        await jobWrite;

        await using var check = await store.Database.OpenAsync();
        (await check.ExecuteScalarAsync<string>("SELECT message FROM jobs WHERE id = @jobId", new { jobId }))
            .Should().Be("written by the job");
    }
}
