using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Matchmaker.Core.Import;
using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Timetables;
using Matchmaker.Hosting;
using Matchmaker.JobEngineBench;
using Matchmaker.Tests.Postgres;
using Matchmaker.Worker.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// Kill test of the two job engines on PostgreSQL (issue 13, "Jobs across machines"). For each engine and round: a fresh
// database with two events (one large enough that its timetable build takes seconds), two worker processes, a timetable
// build and an import of 6,000 SMEs (--import-rows; a file stays under the importer's 10 MB limit) queued; once both
// run, the worker running the import (odd rounds) or the build (even rounds) gets the fault: SIGKILL (--fault kill), or
// SIGSTOP for 40 s and then SIGCONT (--fault pause: a worker frozen longer than the engine's window, which then goes on).
// Printed: how long until the surviving worker started the interrupted jobs again, whether a job ran twice at once,
// whether the store holds anything half-written. Quartz is the product's own worker (Matchmaker.Worker.dll); Hangfire's
// worker is this program started with "hangfire-worker", running the same Core import and timetable-build code under the
// same run lock (JobStore.RunAloneAsync; --hangfire-without-run-lock measures Hangfire alone).
if (args is ["hangfire-worker"]) return await HangfireWorker.RunAsync();

var settings = Arguments.Parse(args);
Console.WriteLine($"Job engines kill test: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {settings}");
var cluster = await PostgresCluster.SharedAsync();
var rows = new List<Round>();
foreach (var engine in settings.Engines)
    for (var round = 1; round <= settings.Rounds; round++)
    {
        Round result;
        try
        {
            result = await Round.RunAsync(cluster, engine, round, settings);
        }
        catch (TimeoutException e)
        {
            // A job never finished (or never started): counted as lost, and the next round goes on.
            result = new Round(engine, round, [], double.NaN, 1, 0, 0, "timed out: " + e.Message);
        }
        rows.Add(result);
        Console.WriteLine(result);
    }
Console.WriteLine();
foreach (var engine in settings.Engines)
{
    var mine = rows.Where(r => r.Engine == engine).ToList();
    var takeovers = mine.SelectMany(r => r.TakeoverSeconds).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{engine,-8} rounds {mine.Count}: takeover after kill min {takeovers.DefaultIfEmpty().Min():F1} s, median {Median(takeovers):F1} s, max {takeovers.DefaultIfEmpty().Max():F1} s; " +
        $"jobs lost {mine.Sum(r => r.Lost)}, ran twice at once {mine.Sum(r => r.Overlaps)}, half-written {mine.Sum(r => r.HalfWritten)}"));
}
return 0;

static double Median(List<double> sorted) => sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];

namespace Matchmaker.JobEngineBench
{
    sealed record Arguments(string[] Engines, string Fault, bool RunAlone, int Rounds, int ImportRows, int BuildCopies, double QuartzCheckin, double QuartzCheckinMisfire,
        double HangfireInvisibility, double HangfirePoll)
    {
        public static Arguments Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var i = Array.IndexOf(args, "--" + name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }
            double Number(string name, string fallback) => double.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
            return new Arguments(Get("engines", "quartz,hangfire").Split(','), Get("fault", "kill"), !args.Contains("--hangfire-without-run-lock"), (int)Number("rounds", "3"), (int)Number("import-rows", "6000"),
                (int)Number("build-copies", "8"), Number("quartz-checkin", "5"), Number("quartz-checkin-misfire", "15"),
                Number("hangfire-invisibility", "30"), Number("hangfire-poll", "1"));
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"fault: {(Fault == "kill" ? "SIGKILL" : "SIGSTOP for 40 s, then SIGCONT")}; import {ImportRows} rows, build event of {BuildCopies}x the sample SMEs; Quartz check-in {QuartzCheckin} s + threshold {QuartzCheckinMisfire} s; " +
            $"Hangfire invisibility {HangfireInvisibility} s (sliding), queue poll {HangfirePoll} s, {(RunAlone ? "with" : "WITHOUT")} the run lock");
    }

    sealed record Round(string Engine, int Number, IReadOnlyList<double> TakeoverSeconds, double DoneSeconds, int Lost, int Overlaps, int HalfWritten, string Detail)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Engine,-8} round {Number}: takeover {string.Join(", ", TakeoverSeconds.Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))} s, " +
            $"all done {DoneSeconds:F1} s after the kill; lost {Lost}, ran twice at once {Overlaps}, half-written {HalfWritten} | {Detail}");

        public static async Task<Round> RunAsync(PostgresCluster cluster, string engine, int number, Arguments settings)
        {
            await using var store = await cluster.CreateDatabaseAsync();
            var folder = Directory.CreateTempSubdirectory("job-engines-").FullName;
            var environment = new Dictionary<string, string>
            {
                ["Matchmaker:Store:Provider"] = StoreOptions.Postgres,
                ["Matchmaker:Store:ConnectionString"] = store.ConnectionString,
                ["Matchmaker:Store:DataFolder"] = folder,
                ["Matchmaker:Worker:InProcess"] = "false",
                ["Matchmaker:Worker:ClusterCheckinSeconds"] = settings.QuartzCheckin.ToString(CultureInfo.InvariantCulture),
                ["Matchmaker:Worker:ClusterCheckinMisfireSeconds"] = settings.QuartzCheckinMisfire.ToString(CultureInfo.InvariantCulture),
                ["Bench:HangfireInvisibilitySeconds"] = settings.HangfireInvisibility.ToString(CultureInfo.InvariantCulture),
                ["Bench:HangfirePollSeconds"] = settings.HangfirePoll.ToString(CultureInfo.InvariantCulture),
                ["Bench:RunAlone"] = settings.RunAlone ? "true" : "false",
            };
            var builder = Host.CreateApplicationBuilder([]);
            builder.Configuration.AddInMemoryCollection(environment!);
            builder.Logging.ClearProviders();
            builder.Services.AddMatchmakerCore();
            builder.Services.AddMatchmakerJobs(builder.Configuration, JobsHost.Api); // to queue Quartz jobs as the API does
            using var host = builder.Build();
            var services = host.Services;
            var database = services.GetRequiredService<Database>();
            await database.MigrateAsync();
            await using (var connection = await database.OpenAsync())
                await connection.ExecuteAsync("""
                    CREATE TABLE bench_runs (job_id text NOT NULL, pid integer NOT NULL, alone boolean NOT NULL,
                                             started_at timestamptz NOT NULL, finished_at timestamptz)
                    """);
            var samples = Path.Combine(folder, "events");
            TestEvents.Write(samples, settings.BuildCopies);
            await services.GetRequiredService<SampleExpoLoader>().LoadAsync(samples);
            var events = services.GetRequiredService<Core.Events.EventStore>();
            var buildEvent = (await events.FindAsync("engine-build"))!.Value.Id;
            var importEvent = (await events.FindAsync("engine-import"))!.Value.Id;

            var workers = new List<Process> { WorkerProcess.Start(engine, environment), WorkerProcess.Start(engine, environment) };
            try
            {
                await WaitAsync(async () => await RegisteredAsync(database, engine) == 2, 120, "two workers registered");
                var importFile = Encoding.UTF8.GetBytes(TestEvents.SmesCsv(settings.ImportRows, firstSeed: 500_000));
                string buildJob, importJob;
                if (engine == "quartz")
                {
                    var work = services.GetRequiredService<BackgroundWork>();
                    buildJob = await work.BuildTimetableDraftAsync(buildEvent);
                    importJob = await work.ImportAsync(importEvent, ParticipantKind.Smes, "smes.csv", importFile);
                }
                else
                {
                    var client = new BackgroundJobClient(HangfireWorker.Storage(store.ConnectionString, settings.HangfireInvisibility, settings.HangfirePoll));
                    buildJob = await services.GetRequiredService<TimetableService>().CreateBuildJobAsync(buildEvent);
                    client.Enqueue<EngineJobs>(j => j.BuildTimetableAsync(buildJob, CancellationToken.None));
                    importJob = await services.GetRequiredService<ParticipantImporter>().CreateJobAsync(importEvent, ParticipantKind.Smes, "smes.csv", importFile);
                    client.Enqueue<EngineJobs>(j => j.ImportAsync(importJob, CancellationToken.None));
                }
                string[] jobIds = [buildJob, importJob];
                await WaitAsync(async () => (await StatesAsync(database, jobIds)).All(s => s == "running"), 120, "both jobs running");
                // Both run; let the import's transaction get under way, then kill whichever worker runs it.
                await Task.Delay(300);
                var runners = await RunnersAsync(database, engine, jobIds);
                // Odd rounds kill the worker running the import, even ones the worker running the build.
                var target = number % 2 == 1 ? importJob : buildJob;
                if (!runners.TryGetValue(target, out var victimPid)) throw new InvalidOperationException("no worker found running the job to interrupt");
                var victim = workers.Single(w => w.Id == victimPid);
                var interrupted = runners.Where(r => r.Value == victimPid).Select(r => r.Key).ToList();
                DateTimeOffset killedAt, resumedAt;
                Stopwatch clock;
                if (settings.Fault == "kill")
                {
                    victim.Kill(); // SIGKILL
                    await victim.WaitForExitAsync();
                    killedAt = resumedAt = DateTimeOffset.UtcNow;
                    clock = Stopwatch.StartNew();
                }
                else
                {
                    // A worker that stops answering without dying (a long garbage collection, a frozen virtual machine), longer
                    // than either engine's window, then goes on: its job must not run a second time beside it.
                    await Signal(victim.Id, "STOP");
                    killedAt = DateTimeOffset.UtcNow;
                    clock = Stopwatch.StartNew();
                    await Task.Delay(TimeSpan.FromSeconds(40));
                    await Signal(victim.Id, "CONT");
                    resumedAt = DateTimeOffset.UtcNow;
                }
                await WaitAsync(async () => (await StatesAsync(database, jobIds)).All(s => s is "succeeded" or "failed"), 300, "both jobs finished");
                var done = clock.Elapsed.TotalSeconds;
                // The resumed worker's own run of the job ends after it (or is refused); give it time to show what it does.
                if (settings.Fault != "kill") await Task.Delay(TimeSpan.FromSeconds(20));
                return await CheckAsync(database, engine, number, settings, jobIds, interrupted, buildEvent, importEvent, killedAt, resumedAt, done);
            }
            finally
            {
                foreach (var worker in workers.Where(w => !w.HasExited)) { worker.Kill(); await worker.WaitForExitAsync(); }
                NpgsqlConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }

        static async Task<Round> CheckAsync(Database database, string engine, int number, Arguments settings, string[] jobIds, List<string> interrupted,
            long buildEvent, long importEvent, DateTimeOffset killedAt, DateTimeOffset resumedAt, double done)
        {
            await using var connection = await database.OpenAsync();
            var jobs = (await connection.QueryAsync<(string Id, string Kind, string State, long Attempts, DateTime StartedAt)>(
                "SELECT id, kind, state, attempts, started_at FROM jobs WHERE id = ANY(@jobIds)", new { jobIds })).ToList();
            var takeovers = new List<double>();
            int lost = 0, overlaps = 0, halfWritten = 0;
            var detail = new StringBuilder($"{(settings.Fault == "kill" ? "killed" : "frozen")} while running {string.Join(" and ", interrupted.Select(id => jobs.Single(j => j.Id == id).Kind))}; ");
            foreach (var job in jobs)
            {
                var startedAt = new DateTimeOffset(DateTime.SpecifyKind(job.StartedAt, DateTimeKind.Utc));
                if (job.State != "succeeded") lost++;
                // Each start of the Core job counts an attempt and stamps started_at (JobStore.StartAsync): a job of the killed
                // worker runs twice in all, the second time after the kill; any other job once. More, or a second start before
                // the kill, is a job that ran twice at once.
                // A paused worker's run goes on once it is resumed: a second start before then is beside it (after it, the run
                // lock decides, and the Hangfire probe below tells).
                var expected = interrupted.Contains(job.Id) ? 2 : 1;
                if (job.Attempts > expected || (job.Attempts == 2 && startedAt < resumedAt)) overlaps++;
                if (interrupted.Contains(job.Id) && job.Attempts == 2) takeovers.Add((startedAt - killedAt).TotalSeconds);
                detail.Append(CultureInfo.InvariantCulture, $"{job.Kind} {job.State} after {job.Attempts} attempts; ");
                if (job.State != "succeeded")
                    detail.Append(await connection.ExecuteScalarAsync<string>("SELECT LEFT(message || ' ' || COALESCE(report_json, ''), 600) FROM jobs WHERE id = @Id", new { job.Id })).Append("; ");
            }
            // The Hangfire worker also probes: a run that found the probe's advisory lock taken was started beside another live
            // run. Without the product's run lock that is the job running twice at once; with it, the second run waited.
            var probed = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM bench_runs WHERE NOT alone");
            if (!settings.RunAlone) overlaps += probed;
            else if (probed > 0) detail.Append(CultureInfo.InvariantCulture, $"Hangfire started {probed} run(s) beside a live one; ");
            var imported = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes WHERE event_id = @importEvent", new { importEvent });
            var importDone = jobs.Single(j => j.Id == jobIds[1]).State == "succeeded";
            if (imported != (importDone ? settings.ImportRows : 0)) halfWritten++;
            var versions = (await connection.QueryAsync<(long Meetings, long Rows)>("""
                SELECT t.meetings, (SELECT COUNT(*) FROM timetable_meetings m WHERE m.timetable_id = t.id) FROM timetables t WHERE t.event_id = @buildEvent
                """, new { buildEvent })).ToList();
            var buildDone = jobs.Single(j => j.Id == jobIds[0]).State == "succeeded";
            if (versions.Count != (buildDone ? 1 : 0) || versions.Any(v => v.Meetings != v.Rows)) halfWritten++;
            var waited = WorkerProcess.GuardWaits;
            WorkerProcess.GuardWaits = 0;
            if (waited > 0) detail.Append(CultureInfo.InvariantCulture, $"{waited} run(s) started beside a live one waited for the run lock; ");
            detail.Append(CultureInfo.InvariantCulture, $"{imported} SMEs imported, {versions.Count} timetable version(s) of {string.Join(",", versions.Select(v => v.Rows))} meetings");
            return new Round(engine, number, takeovers, done, lost, overlaps, halfWritten, detail.ToString());
        }

        static async Task<long> RegisteredAsync(Database database, string engine)
        {
            await using var connection = await database.OpenAsync();
            var table = engine == "quartz" ? "qrtz_scheduler_state" : "hangfire.server";
            if (!await connection.ExecuteScalarAsync<bool>($"SELECT to_regclass('{table}') IS NOT NULL")) return 0;
            return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        }

        static async Task<List<string?>> StatesAsync(Database database, string[] jobIds)
        {
            await using var connection = await database.OpenAsync();
            return (await connection.QueryAsync<string?>("SELECT state FROM jobs WHERE id = ANY(@jobIds)", new { jobIds })).ToList();
        }

        /// <summary>Which process runs each job: Quartz's fired triggers name the instance (host-pid-random, see
        /// as JobHosting sets it); the Hangfire worker writes its pid when it starts a job.</summary>
        static async Task<Dictionary<string, int>> RunnersAsync(Database database, string engine, string[] jobIds)
        {
            await using var connection = await database.OpenAsync();
            var rows = engine == "quartz"
                ? (await connection.QueryAsync<(string Job, string Instance)>(
                    "SELECT job_name, instance_name FROM qrtz_fired_triggers WHERE job_name = ANY(@jobIds)", new { jobIds }))
                    .Select(r => (r.Job, Pid: int.Parse(r.Instance.Split('-')[^2], CultureInfo.InvariantCulture)))
                : await connection.QueryAsync<(string Job, int Pid)>(
                    "SELECT job_id, pid FROM bench_runs WHERE job_id = ANY(@jobIds) AND finished_at IS NULL", new { jobIds });
            return rows.ToDictionary(r => r.Job, r => r.Pid);
        }

        static async Task Signal(int pid, string signal)
        {
            using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        static async Task WaitAsync(Func<Task<bool>> done, int seconds, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!await done())
            {
                if (clock.Elapsed.TotalSeconds > seconds) throw new TimeoutException($"waited {seconds} s for {what}");
                await Task.Delay(20);
            }
        }
    }

    static class WorkerProcess
    {
        /// <summary>Runs that found the job's run lock held by another live run (JobStore.RunAloneAsync logs it).</summary>
        public static int GuardWaits;

        public static Process Start(string engine, IReadOnlyDictionary<string, string> settings)
        {
            var program = engine == "quartz" ? "Matchmaker.Worker.dll" : "Matchmaker.JobEngineBench.dll";
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
            if (engine != "quartz") start.ArgumentList.Add("hangfire-worker");
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
            var process = Process.Start(start)!;
            var name = $"[{engine} {process.Id}]";
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line) return;
                if (line.Contains("already running in another process")) Interlocked.Increment(ref GuardWaits);
                if (line.Contains("fail") || line.Contains("Exception") || line.Contains("warn")) Console.Error.WriteLine($"{name} {line}");
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine($"{name} {line}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }
    }

    /// <summary>The two events: one whose timetable build takes seconds (the sample expo's buyers and its SMEs repeated), one
    /// that receives the import.</summary>
    static class TestEvents
    {
        static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples", "busan-2026");

        public static void Write(string folder, int copies)
        {
            foreach (var (id, smes) in new[] { ("engine-build", SmesCsv(226 * copies, 1)), ("engine-import", null) })
            {
                var target = Directory.CreateDirectory(Path.Combine(folder, id)).FullName;
                File.WriteAllText(Path.Combine(target, "event.json"), File.ReadAllText(Path.Combine(Samples, "event.json")).Replace("busan-2026", id));
                File.Copy(Path.Combine(Samples, "buyers.csv"), Path.Combine(target, "buyers.csv"));
                File.Copy(Path.Combine(Samples, "demands.csv"), Path.Combine(target, "demands.csv"));
                if (smes is not null) File.WriteAllText(Path.Combine(target, "smes.csv"), smes);
            }
        }

        /// <summary><paramref name="count"/> SMEs: the sample's rows over and over, each with a business number, name and
        /// address of its own.</summary>
        public static string SmesCsv(int count, int firstSeed)
        {
            var lines = File.ReadAllLines(Path.Combine(Samples, "smes.csv"));
            var text = new StringBuilder(lines[0]).Append('\n');
            for (var i = 0; i < count; i++)
            {
                var row = lines[1 + i % (lines.Length - 1)];
                var seed = firstSeed + i;
                var first9 = (100_000_000 + seed * 7_919L % 899_999_999).ToString("D9", CultureInfo.InvariantCulture);
                var number = first9 + Core.Profiles.BusinessNumber.CheckDigit(first9).ToString(CultureInfo.InvariantCulture);
                var afterName = row.IndexOf(',', row.IndexOf(',') + 1);
                var email = row.LastIndexOf(',');
                text.Append(CultureInfo.InvariantCulture, $"{number},㈜엔진{seed}{row[afterName..(email + 1)]}sme{seed}@example.com\n");
            }
            return text.ToString();
        }
    }

    /// <summary>The Hangfire worker: a generic host with the Core services and a Hangfire server on PostgreSqlStorage.</summary>
    public static class HangfireWorker
    {
        public static PostgreSqlStorage Storage(string connectionString, double invisibilitySeconds, double pollSeconds) =>
            new(new NpgsqlConnectionFactory(connectionString, Options(invisibilitySeconds, pollSeconds)), Options(invisibilitySeconds, pollSeconds));

        static PostgreSqlStorageOptions Options(double invisibilitySeconds, double pollSeconds) => new()
        {
            // Sliding: the worker renews its claim (fetchedat) every fifth of the timeout while the job runs, so a long job
            // keeps its claim and a dead worker's claim lapses after the timeout.
            InvisibilityTimeout = TimeSpan.FromSeconds(invisibilitySeconds),
            UseSlidingInvisibilityTimeout = true,
            QueuePollInterval = TimeSpan.FromSeconds(pollSeconds),
            PrepareSchemaIfNecessary = true,
        };

        public static async Task<int> RunAsync()
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddMatchmakerCore();
            builder.Services.AddTransient<EngineJobs>();
            var store = builder.Configuration.GetSection("Matchmaker:Store").Get<StoreOptions>()!;
            var invisibility = builder.Configuration.GetValue<double>("Bench:HangfireInvisibilitySeconds");
            var poll = builder.Configuration.GetValue<double>("Bench:HangfirePollSeconds");
            var connectionString = new Database(store).ConnectionString;
            builder.Services.AddHangfire(c => c.UseStorage(Storage(connectionString, invisibility, poll)));
            builder.Services.AddHangfireServer(o =>
            {
                o.WorkerCount = 2; // as Quartz's MaxConcurrency
                o.ServerName = $"{Environment.MachineName}-{Environment.ProcessId}";
            });
            using var host = builder.Build();
            await host.RunAsync();
            return 0;
        }
    }

    /// <summary>The Hangfire jobs: the same Core calls as the product's Quartz ImportJob and TimetableBuildJob, each run
    /// recorded with its process and whether it held the job's advisory lock (another live run of the same job holds it).</summary>
    public sealed class EngineJobs(ParticipantImporter importer, TimetableService timetables, Database database, Core.Jobs.JobStore jobs,
        ILogger<EngineJobs> logger)
    {
        public Task ImportAsync(string jobId, CancellationToken cancellationToken) => RecordedAsync(jobId, () => importer.RunJobAsync(jobId, cancellationToken));

        public Task BuildTimetableAsync(string jobId, CancellationToken cancellationToken) =>
            RecordedAsync(jobId, () => timetables.BuildDraftJobAsync(jobId, cancellationToken));

        async Task RecordedAsync(string jobId, Func<Task> run)
        {
            await using var probe = await database.OpenAsync();
            var alone = await probe.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext(@jobId))", new { jobId });
            await probe.ExecuteAsync("INSERT INTO bench_runs (job_id, pid, alone, started_at) VALUES (@jobId, @pid, @alone, clock_timestamp())",
                new { jobId, pid = Environment.ProcessId, alone });
            // The product's guard, as the Quartz jobs use it (Bench:RunAlone=false measures the engine without it).
            if (Environment.GetEnvironmentVariable("Bench__RunAlone") == "false") await run();
            else await jobs.RunAloneAsync(jobId, run, () => logger.LogWarning("Job {JobId} is already running in another process; this run waits", jobId));
            await probe.ExecuteAsync("UPDATE bench_runs SET finished_at = clock_timestamp() WHERE job_id = @jobId AND pid = @pid AND finished_at IS NULL",
                new { jobId, pid = Environment.ProcessId });
            if (alone) await probe.ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@jobId))", new { jobId });
        }
    }
}
