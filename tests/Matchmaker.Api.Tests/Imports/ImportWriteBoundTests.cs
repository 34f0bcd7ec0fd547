using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Matchmaker.Tests.Postgres;
using Npgsql;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Imports;

/// <summary>
/// A very large import on a loaded server used to outlast the store-write pipeline's bound (60 s) and end failed. An
/// import's write now goes through store-job-write, which is not held to that bound, while a short write still is and is
/// refused with 503 store_busy. Here the bound is 3 s (and the store's lock timeout 1 s, after which a write tries
/// again), and both writes wait on locks the test holds, on PostgreSQL, where several workers make such waits real. No
/// clock is read: the short write is sent once the import is seen waiting, and is refused at the bound; only then are
/// the locks released, so the import's write has outlasted the bound (in one run: its retries are the pipeline's).
/// </summary>
public class ImportWriteBoundTests
{
    [Fact]
    public async Task An_import_whose_write_outlasts_the_write_bound_succeeds_while_a_short_write_waiting_that_long_is_refused_as_store_busy()
    {
        await using var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        using var host = new MatchmakerHost(postgres: database, settings: new Dictionary<string, string>
        {
            ["Matchmaker:Store:WriteTimeoutSeconds"] = "3",
            // A statement's wait for a lock ends by the store's lock timeout and is retried; between tries a short write
            // finds its bound passed. (The statements themselves do not watch the bound.)
            ["Matchmaker:Store:BusyTimeoutMilliseconds"] = "1000",
        });
        using var client = host.CreateClient();
        await CreateEventAsync(client);
        (await ImportAsync(client, "busan-test", "buyers", Encoding.UTF8.GetBytes(BuyersCsv))).GetProperty("state").GetString().Should().Be("succeeded");

        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync();
        await using var holding = await holder.BeginTransactionAsync();
        // The table an SME import writes, and the event's row (an edit of the event updates it; rows that only refer to it,
        // such as the import's job, still can).
        await holder.ExecuteAsync("""
            LOCK TABLE event_smes IN EXCLUSIVE MODE;
            SELECT id FROM events WHERE event_id = 'busan-test' FOR NO KEY UPDATE;
            """, transaction: holding);

        var upload = await client.PostAsync("/api/events/busan-test/imports", Upload(Encoding.UTF8.GetBytes(SmesCsv(50)), "smes.csv", "smes"));
        upload.StatusCode.Should().Be(HttpStatusCode.Accepted, await upload.Content.ReadAsStringAsync());
        var jobId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        await using (var watch = new NpgsqlConnection(database.ConnectionString))
        {
            await watch.OpenAsync();
            for (var waited = Stopwatch.StartNew(); await watch.ExecuteScalarAsync<long>(
                     "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0; await Task.Delay(20))
                if (waited.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("the import's write never reached the locked row");
        }

        var edit = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-test");
        var refused = await client.PutAsJsonAsync("/api/events/busan-test", EventDefinition(edit));
        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("store_busy");
        refused.Headers.RetryAfter.Should().NotBeNull();

        await holding.RollbackAsync();
        var job = await WaitForJobAsync(client, jobId);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        job.GetProperty("attempts").GetInt32().Should().Be(1, "the write was not cut off and run again");
        await using var store = await host.OpenStoreAsync();
        (await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes")).Should().Be(50);
        (await store.ExecuteScalarAsync<string>("SELECT name FROM events WHERE event_id = 'busan-test'"))
            .Should().Be("부산 구매상담회 (test)", "the refused edit changed nothing");
    }

    /// <summary>The event as sent to PUT, from its details, with another name.</summary>
    static JsonElement EventDefinition(JsonElement details)
    {
        var definition = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(details.GetRawText())!;
        definition["name"] = JsonSerializer.SerializeToElement("부산 구매상담회 (renamed)");
        return JsonSerializer.SerializeToElement(definition);
    }
}
