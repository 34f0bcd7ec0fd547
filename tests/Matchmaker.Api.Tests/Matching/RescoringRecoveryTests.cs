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
        await StandaloneWorker.ScalarAsync<long>(database, "UPDATE score_runs SET model_id = NULL; DELETE FROM recommender_models; SELECT 0", jobId);
        var oldScores = await StandaloneWorker.ScalarAsync<double>(database, "SELECT TOTAL(score) + COUNT(*) FROM match_scores", jobId);

        using (var first = StandaloneWorker.Start(folder))
        {
            // The first scoring on a fresh store also trains the recommender: seconds in state 'running'.
            await StandaloneWorker.WaitForJobAsync(database, jobId, state => state is "running" or "succeeded");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        (await StandaloneWorker.ScalarAsync<string>(database, "SELECT state FROM jobs WHERE id = @jobId", jobId))
            .Should().Be("running", "the worker was killed while rescoring (if this fails the run was too quick to interrupt)");
        (await StandaloneWorker.ScalarAsync<double>(database, "SELECT TOTAL(score) + COUNT(*) FROM match_scores", jobId)).Should().Be(oldScores,
            "the replacement never committed: the old scores are all still there");

        using (var second = StandaloneWorker.Start(folder))
        {
            try
            {
                await StandaloneWorker.WaitForJobAsync(database, jobId, state => state is "succeeded" or "failed", seconds: 120);
            }
            finally
            {
                second.Kill(entireProcessTree: true);
                await second.WaitForExitAsync();
            }
        }
        (await StandaloneWorker.ScalarAsync<string>(database, "SELECT state FROM jobs WHERE id = @jobId", jobId)).Should().Be("succeeded");
        (await StandaloneWorker.ScalarAsync<long>(database, "SELECT attempts FROM jobs WHERE id = @jobId", jobId)).Should().Be(2);
        (await StandaloneWorker.ScalarAsync<long>(database, "SELECT COUNT(*) FROM match_scores m JOIN events e ON e.id = m.event_id WHERE e.event_id = 'busan-2026'", jobId))
            .Should().Be(226 * 78);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
