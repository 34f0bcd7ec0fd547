using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Matchmaker.Core.Storage;
using Matchmaker.Tests.Postgres;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Storage;

/// <summary>
/// Two standalone worker processes on one PostgreSQL database (Quartz clustered), beside an API process that only queues:
/// one worker killed with SIGKILL in the middle of an import, and two workers starting together on an empty database.
/// </summary>
public class PostgresWorkerClusterTests
{
    const int ImportRows = 8_000;

    /// <summary>Worker settings: a short check-in, so that the survivor takes a dead worker's jobs over within seconds.</summary>
    static Dictionary<string, string> WorkerSettings(TestPostgresDatabase database) => new()
    {
        ["Matchmaker:Store:Provider"] = StoreOptions.Postgres,
        ["Matchmaker:Store:ConnectionString"] = database.ConnectionString,
        ["Matchmaker:Worker:ClusterCheckinSeconds"] = "1",
        ["Matchmaker:Worker:ClusterCheckinMisfireSeconds"] = "2",
    };

    [Fact]
    public async Task A_worker_killed_mid_job_leaves_its_jobs_to_the_other_which_completes_them_once_and_whole()
    {
        await using var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        using var api = new MatchmakerHost(runJobs: false, postgres: database);
        using var client = api.CreateClient();
        var workers = new List<Process>
        {
            StandaloneWorker.Start(api.DataFolder, WorkerSettings(database)),
            StandaloneWorker.Start(api.DataFolder, WorkerSettings(database)),
        };
        try
        {
            await using var store = await api.OpenStoreAsync();
            await WaitUntilAsync(async () => await RegisteredWorkersAsync(store) == 2, "both workers checked in");

            // An event to build a timetable for, its participants imported by the workers.
            await CreateEventAsync(client, "build-test");
            (await ImportAsync(client, "build-test", "buyers", Encoding.UTF8.GetBytes(BuyersCsv))).GetProperty("state").GetString().Should().Be("succeeded");
            (await ImportAsync(client, "build-test", "demands", Encoding.UTF8.GetBytes(DemandsCsv))).GetProperty("state").GetString().Should().Be("succeeded");
            (await ImportAsync(client, "build-test", "smes", Encoding.UTF8.GetBytes(SmesCsv(600)))).GetProperty("state").GetString().Should().Be("succeeded");
            await CreateEventAsync(client, "import-test");

            var build = await client.PostAsync("/api/events/build-test/timetable", null);
            build.StatusCode.Should().Be(HttpStatusCode.Accepted, await build.Content.ReadAsStringAsync());
            var buildJob = (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
            var import = await client.PostAsync("/api/events/import-test/imports", Upload(Encoding.UTF8.GetBytes(SmesCsv(ImportRows, firstSeed: 100_000)), "smes.csv", "smes"));
            import.StatusCode.Should().Be(HttpStatusCode.Accepted, await import.Content.ReadAsStringAsync());
            var importJob = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;

            // Once the import runs, kill the worker running it (Quartz's fired trigger names the instance: host-pid-random).
            await WaitUntilAsync(async () => await StateAsync(store, importJob) == "running", "the import running");
            var runners = (await store.QueryAsync<(string Job, string Instance)>(
                    "SELECT job_name, instance_name FROM qrtz_fired_triggers WHERE job_name IN (@buildJob, @importJob)", new { buildJob, importJob }))
                .ToDictionary(r => r.Job, r => int.Parse(r.Instance.Split('-')[^2], CultureInfo.InvariantCulture));
            var victim = workers.Single(w => w.Id == runners[importJob]);
            var interrupted = runners.Where(r => r.Value == victim.Id).Select(r => r.Key).ToList();
            victim.Kill(); // SIGKILL: no shutdown, no goodbye to the cluster
            await victim.WaitForExitAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var runningAtKill = new Dictionary<string, bool>
            {
                [buildJob] = await StateAsync(store, buildJob) == "running",
                [importJob] = true,
            };
            (await StateAsync(store, importJob)).Should().Be("running", "the worker was killed while the import ran (if this fails the import was too quick to interrupt)");
            (await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes es JOIN events e ON e.id = es.event_id WHERE e.event_id = 'import-test'"))
                .Should().Be(0, "the killed import's transaction never committed");

            var survivor = workers.Single(w => w != victim);
            await WaitUntilAsync(async () => await StateAsync(store, importJob) is "succeeded" or "failed"
                && await StateAsync(store, buildJob) is "succeeded" or "failed", "both jobs finished", seconds: 120);
            survivor.HasExited.Should().BeFalse();

            foreach (var jobId in new[] { buildJob, importJob })
            {
                var job = await store.QuerySingleAsync<(string State, long Attempts, DateTime StartedAt)>(
                    "SELECT state, attempts, started_at FROM jobs WHERE id = @jobId", new { jobId });
                job.State.Should().Be("succeeded");
                // Each start of a job counts an attempt and stamps started_at: a job the killed worker was running started once
                // more, after the kill (not beside the first run); a job it had only taken (not started yet) starts once on
                // the survivor; a job of the survivor ran once.
                if (interrupted.Contains(jobId) && runningAtKill[jobId])
                {
                    job.Attempts.Should().Be(2, "the survivor ran the killed worker's job again");
                    new DateTimeOffset(DateTime.SpecifyKind(job.StartedAt, DateTimeKind.Utc)).Should().BeOnOrAfter(killedAt.AddMilliseconds(-50),
                        "the second run started after the first worker had died");
                }
                else
                    job.Attempts.Should().Be(1, "a job no one had interrupted ran once");
            }
            (await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes es JOIN events e ON e.id = es.event_id WHERE e.event_id = 'import-test'"))
                .Should().Be(ImportRows, "the import ran to the end once");
            var versions = (await store.QueryAsync<(long Meetings, long Rows)>("""
                SELECT t.meetings, (SELECT COUNT(*) FROM timetable_meetings m WHERE m.timetable_id = t.id)
                FROM timetables t JOIN events e ON e.id = t.event_id WHERE e.event_id = 'build-test'
                """)).ToList();
            versions.Should().ContainSingle("one build, one draft");
            versions[0].Rows.Should().Be(versions[0].Meetings).And.BeGreaterThan(0, "the draft was written whole");
        }
        finally
        {
            foreach (var worker in workers.Where(w => !w.HasExited))
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task Two_workers_starting_together_on_an_empty_database_both_migrate_create_the_job_tables_and_check_in()
    {
        await using var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
        var workers = new[] { StandaloneWorker.Start(folder, WorkerSettings(database)), StandaloneWorker.Start(folder, WorkerSettings(database)) };
        try
        {
            await using var store = await new Database(new StoreOptions
            {
                Provider = StoreOptions.Postgres, ConnectionString = database.ConnectionString, DataFolder = folder,
            }).OpenAsync();
            await WaitUntilAsync(async () => workers.Any(w => w.HasExited) || await RegisteredWorkersAsync(store) == 2, "both workers checked in", seconds: 120);
            workers.Should().OnlyContain(w => !w.HasExited, "neither worker failed while the other created the same schema");
            (await RegisteredWorkersAsync(store)).Should().Be(2);
            (await Migrations.CurrentVersionAsync(store)).Should().Be(Migrations.Latest);
        }
        finally
        {
            foreach (var worker in workers.Where(w => !w.HasExited))
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    static async Task<long> RegisteredWorkersAsync(System.Data.Common.DbConnection store) =>
        await store.ExecuteScalarAsync<bool>("SELECT to_regclass('qrtz_scheduler_state') IS NOT NULL")
            ? await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM qrtz_scheduler_state")
            : 0;

    static Task<string?> StateAsync(System.Data.Common.DbConnection store, string jobId) =>
        store.ExecuteScalarAsync<string?>("SELECT state FROM jobs WHERE id = @jobId", new { jobId });

    static async Task WaitUntilAsync(Func<Task<bool>> done, string what, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed.TotalSeconds > seconds) throw new TimeoutException($"waited {seconds} s for {what}");
            await Task.Delay(10);
        }
    }
}
