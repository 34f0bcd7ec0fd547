using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests.Matching;

/// <summary>The worker as its own process, killed in the middle of a rescoring and started again.</summary>
public class RescoringRecoveryTests
{
    [Fact]
    public async Task A_rescoring_interrupted_by_a_crash_keeps_the_old_scores_and_runs_again_on_restart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(folder, "matchmaker.db");
        string jobId;
        using (var api = new MatchmakerHost(loadSamples: true, dataFolder: folder, runJobs: false))
        {
            using var client = api.CreateClient();
            var response = await client.PostAsync("/api/events/busan-2026/rescoring", null);
            response.StatusCode.Should().Be(HttpStatusCode.Accepted);
            jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        }
        SqliteConnection.ClearAllPools();
        // A first start scores the sample events with a freshly trained model. Forget the model, so that this rescoring
        // trains again first (seconds in state 'running': time to kill the worker in the middle).
        await ScalarAsync<long>(database, "UPDATE score_runs SET model_id = NULL; DELETE FROM recommender_models; SELECT 0", jobId);
        var oldScores = await ScalarAsync<double>(database, "SELECT TOTAL(score) + COUNT(*) FROM match_scores", jobId);

        using (var first = StartWorker(folder))
        {
            // The first scoring on a fresh store also trains the recommender: seconds in state 'running'.
            await WaitUntilAsync(database, jobId, state => state is "running" or "succeeded");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        (await ScalarAsync<string>(database, "SELECT state FROM jobs WHERE id = @jobId", jobId))
            .Should().Be("running", "the worker was killed while rescoring (if this fails the run was too quick to interrupt)");
        (await ScalarAsync<double>(database, "SELECT TOTAL(score) + COUNT(*) FROM match_scores", jobId)).Should().Be(oldScores,
            "the replacement never committed: the old scores are all still there");

        using (var second = StartWorker(folder))
        {
            try
            {
                await WaitUntilAsync(database, jobId, state => state is "succeeded" or "failed", seconds: 120);
            }
            finally
            {
                second.Kill(entireProcessTree: true);
                await second.WaitForExitAsync();
            }
        }
        (await ScalarAsync<string>(database, "SELECT state FROM jobs WHERE id = @jobId", jobId)).Should().Be("succeeded");
        (await ScalarAsync<long>(database, "SELECT attempts FROM jobs WHERE id = @jobId", jobId)).Should().Be(2);
        (await ScalarAsync<long>(database, "SELECT COUNT(*) FROM match_scores m JOIN events e ON e.id = m.event_id WHERE e.event_id = 'busan-2026'", jobId))
            .Should().Be(226 * 78);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    static Process StartWorker(string dataFolder)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Matchmaker.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Matchmaker__Store__DataFolder"] = dataFolder;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task<T?> ScalarAsync<T>(string database, string sql, string jobId)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, new { jobId });
    }

    static async Task WaitUntilAsync(string database, string jobId, Func<string?, bool> done, int seconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        while (!done(await ScalarAsync<string>(database, "SELECT state FROM jobs WHERE id = @jobId", jobId)))
        {
            if (deadline.Elapsed.TotalSeconds > seconds) throw new TimeoutException($"waited {seconds} s for job {jobId}");
            await Task.Delay(10);
        }
    }
}
