using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Matching;

/// <summary>Rescoring as background work: debounced requests, imports that trigger it, and a queued run surviving a restart.</summary>
public class RescoringJobTests
{
    [Fact]
    public async Task Importing_demands_and_smes_rescores_the_event_and_requests_close_together_share_one_job()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();
        await CreateEventAsync(client);
        (await ImportAsync(client, "busan-test", "buyers", Encoding.UTF8.GetBytes(BuyersCsv))).GetProperty("state").GetString().Should().Be("succeeded");
        (await ImportAsync(client, "busan-test", "demands", Encoding.UTF8.GetBytes(DemandsCsv))).GetProperty("state").GetString().Should().Be("succeeded");
        (await ImportAsync(client, "busan-test", "smes", Encoding.UTF8.GetBytes(SmesCsv(5)))).GetProperty("state").GetString().Should().Be("succeeded");

        // Two activations within the debounce interval: one queued job does the work.
        var profiles = await client.GetFromJsonAsync<JsonElement>("/api/weight-profiles");
        var defaultId = profiles[0].GetProperty("id").GetInt64();
        var first = await (await client.PutAsJsonAsync("/api/events/busan-test/weight-profile", new { profileId = defaultId })).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await client.PutAsJsonAsync("/api/events/busan-test/weight-profile", new { profileId = defaultId })).Content.ReadFromJsonAsync<JsonElement>();
        second.GetProperty("jobId").GetString().Should().Be(first.GetProperty("jobId").GetString());

        var job = await WaitForJobAsync(client, first.GetProperty("jobId").GetString()!);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        var distribution = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-test/scores/distribution");
        distribution.GetProperty("pairs").GetInt32().Should().Be(5 * 2);
    }

    [Fact]
    public async Task A_rescoring_queued_while_no_worker_runs_is_done_when_the_worker_starts()
    {
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string jobId;
            using (var api = new MatchmakerHost(dataFolder: folder, runJobs: false))
            {
                using var client = api.CreateClient();
                await CreateEventAsync(client);
                await client.PostAsync("/api/events/busan-test/imports", Upload(Encoding.UTF8.GetBytes(BuyersCsv), "buyers.csv", "buyers"));
                var response = await client.PostAsync("/api/events/busan-test/rescoring", null);
                response.StatusCode.Should().Be(HttpStatusCode.Accepted);
                jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
                await Task.Delay(300);
                (await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}")).GetProperty("state").GetString().Should().Be("queued");
            }
            using (var worker = new MatchmakerHost(dataFolder: folder, runJobs: true))
            {
                using var client = worker.CreateClient();
                var job = await WaitForJobAsync(client, jobId);
                job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
