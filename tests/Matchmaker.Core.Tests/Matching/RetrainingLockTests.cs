using Dapper;
using Matchmaker.Core.Events;
using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Tests.Storage;

namespace Matchmaker.Core.Tests.Matching;

/// <summary>
/// One training of the recommender at a time across processes (<see cref="RecommenderTraining"/>): Quartz's
/// DisallowConcurrentExecution does not keep a frozen worker's nightly run apart from the run another worker starts
/// when it takes that worker for dead, nor the nightly run apart from one an administrator asked for. Here "another
/// process" is a second <see cref="Database"/> on the same store (on PostgreSQL its own connections and sessions) that
/// holds the training's lock, as a training run does for its whole length.
/// </summary>
public class RetrainingLockTests
{
    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task A_nightly_retraining_that_finds_another_training_running_skips_and_records_and_writes_nothing(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var training = await LoadPastEventAsync(store.Database);
        var (running, release) = await HoldTrainingAsync(store.Database);

        (await training.RunNightlyAsync(CancellationToken.None)).Should().BeNull("another training is running");
        (await CountsAsync(store.Database)).Should().Be((0, 0), "the skipped run recorded no job and wrote no model");

        release.SetResult();
        (await running).Should().BeTrue();
        var jobId = await training.RunNightlyAsync(CancellationToken.None);
        jobId.Should().NotBeNull("with no other training running, the nightly one runs");
        (await new JobStore(store.Database, TimeProvider.System).FindAsync(jobId!))!.State.Should().Be(JobState.Succeeded);
        (await CountsAsync(store.Database)).Should().Be((1, 1), "one job, one model");
    }

    [Theory]
    [MemberData(nameof(TestStore.Providers), MemberType = typeof(TestStore))]
    public async Task A_retraining_asked_for_waits_for_the_training_running_and_then_trains_once(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var training = await LoadPastEventAsync(store.Database);
        var jobs = new JobStore(store.Database, TimeProvider.System);
        var jobId = await jobs.CreateAsync(RecommenderTraining.JobKind, null, null);
        var (running, release) = await HoldTrainingAsync(store.Database);

        var waiting = new TaskCompletionSource();
        var asked = training.RunJobAsync(jobId, CancellationToken.None, () => waiting.SetResult());
        await waiting.Task;
        (await jobs.FindAsync(jobId))!.State.Should().Be(JobState.Queued, "it has not started beside the running training");
        (await CountsAsync(store.Database)).Models.Should().Be(0);

        release.SetResult();
        await Task.WhenAll(running, asked);
        (await jobs.FindAsync(jobId))!.State.Should().Be(JobState.Succeeded);
        (await CountsAsync(store.Database)).Should().Be((1, 1));
        // The same job run again (a recovered firing) finds it finished and writes nothing more.
        await training.RunJobAsync(jobId, CancellationToken.None);
        (await CountsAsync(store.Database)).Should().Be((1, 1));
    }

    /// <summary>Another process's training, holding the training's lock until <c>release</c> is set; <c>running</c> ends
    /// with whether it got the lock.</summary>
    static async Task<(Task<bool> Running, TaskCompletionSource Release)> HoldTrainingAsync(Database database)
    {
        var otherProcess = new JobStore(new Database(database.Options), TimeProvider.System);
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var running = otherProcess.RunExclusiveAsync(RecommenderTraining.JobKind, wait: false, async () =>
        {
            holding.SetResult();
            await release.Task;
        }, () => { });
        await holding.Task;
        return (running, release);
    }

    /// <summary>The store with one past event (its meetings and requests are what the recommender learns from).</summary>
    static async Task<RecommenderTraining> LoadPastEventAsync(Database database)
    {
        await database.MigrateAsync();
        var clock = TimeProvider.System;
        var pipelines = TransientFaults.CreateRegistry(clock);
        var jobs = new JobStore(database, clock);
        var folder = Directory.CreateTempSubdirectory("matchmaker-retraining-");
        try
        {
            var past = Directory.CreateDirectory(Path.Combine(folder.FullName, "past-2025"));
            foreach (var file in Directory.GetFiles(Path.Combine(SampleStore.SamplesFolder, "past-2025")))
                File.Copy(file, Path.Combine(past.FullName, Path.GetFileName(file)));
            var importer = new ParticipantImporter(database, jobs, new ParticipantWriter(clock), pipelines);
            await new SampleExpoLoader(database, new EventStore(database, clock, pipelines), importer, clock).LoadAsync(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        return new RecommenderTraining(database, jobs, new RecommenderTrainingOptions(), pipelines, clock);
    }

    static async Task<(long Jobs, long Models)> CountsAsync(Database database)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE kind = @kind", new { kind = RecommenderTraining.JobKind }),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM recommender_models"));
    }
}
