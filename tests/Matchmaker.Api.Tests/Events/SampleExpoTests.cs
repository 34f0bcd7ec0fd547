using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests.Events;

public class SampleExpoTests
{
    [Fact]
    public async Task A_first_start_serves_the_sample_expo_with_its_past_events()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var client = host.CreateClient();

        var events = await client.GetFromJsonAsync<JsonElement>("/api/events");

        var expo = events.EnumerateArray().Single(e => e.GetProperty("eventId").GetString() == "busan-2026");
        expo.GetProperty("buyers").GetInt32().Should().BeGreaterThanOrEqualTo(70);
        expo.GetProperty("smes").GetInt32().Should().BeGreaterThanOrEqualTo(200);
        expo.GetProperty("slots").GetInt32().Should().BeGreaterThan(20, "three days of 30-minute slots");
        events.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).Should().Contain(["past-2023", "past-2024", "past-2025"]);

        var buyers = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/buyers");
        buyers.EnumerateArray().Select(b => b.GetProperty("name").GetString()).Should().Contain(["포스코", "한국수력원자력(주)"]);
        buyers.EnumerateArray().Should().OnlyContain(b => b.GetProperty("demands").GetArrayLength() >= 1 && b.GetProperty("demands").GetArrayLength() <= 5);
        var slots = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/slots");
        slots[0].GetProperty("code").GetString().Should().Be("D1-01");

        await using var connection = await host.OpenStoreAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meetings WHERE status = 'held' AND rating IS NOT NULL")).Should().BeGreaterThan(1000);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT kind) FROM interactions")).Should().BeGreaterThanOrEqualTo(8);
    }

    [Fact]
    public async Task A_restart_on_a_store_with_data_does_not_load_the_samples_again()
    {
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
        using (var first = new MatchmakerHost(loadSamples: true, dataFolder: folder))
            (await first.CreateClient().GetFromJsonAsync<JsonElement>("/api/events")).GetArrayLength().Should().Be(4);

        using var second = new MatchmakerHost(loadSamples: true, dataFolder: folder);
        var events = await second.CreateClient().GetFromJsonAsync<JsonElement>("/api/events");

        events.GetArrayLength().Should().Be(4);
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
