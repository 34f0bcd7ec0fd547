using System.Collections.Concurrent;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Tests.Storage;

/// <summary>The run lock that keeps one run of a job at a time across processes on PostgreSQL (<see cref="JobStore.RunAloneAsync"/>).</summary>
public class JobRunLockTests
{
    [Fact]
    public async Task A_second_run_of_a_job_on_PostgreSQL_waits_until_the_first_has_ended_while_other_jobs_go_on()
    {
        await using var store = await TestStore.CreateAsync(StoreOptions.Postgres);
        var jobs = new JobStore(store.Database, TimeProvider.System);
        var steps = new ConcurrentQueue<string>();
        var firstInside = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var secondWaiting = new TaskCompletionSource();

        var first = jobs.RunAloneAsync("job-1", async () =>
        {
            steps.Enqueue("first starts");
            firstInside.SetResult();
            await releaseFirst.Task;
            steps.Enqueue("first ends");
        }, () => steps.Enqueue("first waits"));
        await firstInside.Task;
        var second = jobs.RunAloneAsync("job-1", () =>
        {
            steps.Enqueue("second starts");
            return Task.CompletedTask;
        }, () =>
        {
            steps.Enqueue("second waits");
            secondWaiting.SetResult();
        });
        await secondWaiting.Task;
        var otherWaited = false;
        await jobs.RunAloneAsync("job-2", () => Task.CompletedTask, () => otherWaited = true);
        otherWaited.Should().BeFalse("another job is not held up by job-1's run");
        releaseFirst.SetResult();
        await Task.WhenAll(first, second);

        steps.Should().Equal("first starts", "second waits", "first ends", "second starts");
    }

    [Fact]
    public async Task On_SQLite_a_run_goes_straight_on_as_one_process_runs_the_jobs()
    {
        await using var store = await TestStore.CreateAsync(StoreOptions.Sqlite);
        var jobs = new JobStore(store.Database, TimeProvider.System);
        var ran = false;
        var waited = false;
        await jobs.RunAloneAsync("job-1", () => { ran = true; return Task.CompletedTask; }, () => waited = true);
        (ran, waited).Should().Be((true, false));
    }
}
