using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Imports;

/// <summary>The worker as its own process, killed in the middle of an import and started again.</summary>
public class ImportRecoveryTests
{
    [Fact]
    public async Task An_import_interrupted_by_a_crash_leaves_nothing_behind_and_runs_again_on_restart()
    {
        const int rows = 20_000;
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
        string jobId;
        using (var api = new MatchmakerHost(dataFolder: folder, runJobs: false))
        {
            using var client = api.CreateClient();
            await CreateEventAsync(client);
            var response = await client.PostAsync("/api/events/busan-test/imports", Upload(Encoding.UTF8.GetBytes(SmesCsv(rows)), "smes.csv", "smes"));
            response.StatusCode.Should().Be(HttpStatusCode.Accepted);
            jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        }
        SqliteConnection.ClearAllPools();
        var database = Path.Combine(folder, "matchmaker.db");

        using (var first = StandaloneWorker.Start(folder))
        {
            await StandaloneWorker.WaitForJobAsync(database, jobId, state => state is "running" or "succeeded");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var afterCrash = await StandaloneWorker.ScalarAsync<string>(database, "SELECT state FROM jobs WHERE id = @jobId", jobId);
        afterCrash.Should().Be("running", "the worker was killed while the import ran (if this fails the import was too quick to interrupt)");
        (await StandaloneWorker.ScalarAsync<long>(database, "SELECT COUNT(*) FROM smes", jobId)).Should().Be(0, "the import's transaction never committed");

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
        (await StandaloneWorker.ScalarAsync<long>(database, "SELECT COUNT(*) FROM event_smes", jobId)).Should().Be(rows);
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
