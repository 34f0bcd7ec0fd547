using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Matchmaker.Api.Tests.Requests;
using Matchmaker.Tests.Postgres;

namespace Matchmaker.Api.Tests.Storage;

/// <summary>The real API host with its in-process worker on PostgreSQL (a fresh database of the test run's cluster).</summary>
public class PostgresStoreTests
{
    static async Task<TestPostgresDatabase> FreshDatabaseAsync() => await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();

    [Fact]
    public async Task The_sample_expo_loads_scores_builds_and_publishes_its_timetable_on_PostgreSQL()
    {
        await using var database = await FreshDatabaseAsync();
        using var host = new MatchmakerHost(loadSamples: true, postgres: database);
        using var client = host.CreateClient();

        var events = await client.GetFromJsonAsync<JsonElement>("/api/events");
        var expo = events.EnumerateArray().Single(e => e.GetProperty("eventId").GetString() == "busan-2026");
        expo.GetProperty("buyers").GetInt32().Should().BeGreaterThanOrEqualTo(70);
        expo.GetProperty("smes").GetInt32().Should().BeGreaterThanOrEqualTo(200);
        var health = await client.GetStringAsync("/health");
        health.Should().Contain("Healthy");
        var matches = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/buyers/" +
            (await client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/buyers"))[0].GetProperty("id").GetInt64() + "/matches");
        matches.ToString().Should().Contain("score", "the first start scored every pair");

        var build = await client.PostAsync("/api/events/busan-2026/timetable", null);
        build.StatusCode.Should().Be(HttpStatusCode.Accepted, await build.Content.ReadAsStringAsync());
        var job = await ExpoFixtures.WaitForJobAsync(client, (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!, 120);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        var published = await client.PostAsync("/api/events/busan-2026/timetable/publish", null);
        published.StatusCode.Should().Be(HttpStatusCode.OK, await published.Content.ReadAsStringAsync());

        var grid = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/timetable");
        grid.GetProperty("status").GetString().Should().Be("published");
        grid.GetProperty("meetingCount").GetInt32().Should().BeGreaterThan(500);
        await using var connection = await host.OpenStoreAsync();
        (await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM meetings m JOIN events e ON e.id = m.event_id WHERE e.event_id = 'busan-2026' AND m.status = 'scheduled'
            """)).Should().Be(grid.GetProperty("meetingCount").GetInt32());
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meetings WHERE status = 'held' AND rating IS NOT NULL"))
            .Should().BeGreaterThan(1000, "the past events' outcomes were loaded");
        var sme = grid.GetProperty("meetings")[0].GetProperty("smeId").GetInt64();
        var itinerary = await client.GetAsync($"/api/events/busan-2026/smes/{sme}/itinerary.ics");
        itinerary.StatusCode.Should().Be(HttpStatusCode.OK, await itinerary.Content.ReadAsStringAsync());
        (await itinerary.Content.ReadAsStringAsync()).Should().Contain("BEGIN:VEVENT");
    }

    [Fact]
    public async Task Two_acceptances_racing_for_the_last_table_on_PostgreSQL_end_with_exactly_one_winner()
    {
        await using var database = await FreshDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(postgres: database);
        await RequestFlowTests.TwoAcceptancesRaceForOneTableAsync(expo);
    }

    [Fact]
    public async Task Two_buyers_booking_one_SME_into_slots_too_close_for_the_walk_between_halls_on_PostgreSQL_end_with_exactly_one_winner()
    {
        await using var database = await FreshDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(smes: 6, postgres: database);
        await RequestFlowTests.TwoBuyersRaceForAnSmesNextSlotAsync(expo);
    }

    [Fact]
    public async Task Concurrent_writers_on_PostgreSQL_all_succeed_and_the_cap_still_holds()
    {
        await using var database = await FreshDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(smes: 8, postgres: database);
        await expo.ScalarAsync<long>("UPDATE events SET max_open_requests_per_sme = 1 RETURNING 1");
        var smes = new List<HttpClient>();
        foreach (var id in expo.Smes) smes.Add(await expo.AsAsync("sme", id));

        // Every SME asks both buyers at once: serializable transactions collide, are retried, and each SME ends with one.
        var responses = await Task.WhenAll(expo.Smes.Select((id, i) => (id, i)).SelectMany(s => new[] { expo.Posco, expo.Khnp }.Select(buyerId =>
            smes[s.i].PostAsJsonAsync($"/api/events/busan-test/smes/{s.id}/requests", new { buyerId, priority = 1, pitch = "동시 요청" }))));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        var bodies = string.Join(" | ", await Task.WhenAll(responses.Where(r => (int)r.StatusCode >= 500).Select(r => r.Content.ReadAsStringAsync())));
        statuses.Should().OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.Conflict || s == HttpStatusCode.UnprocessableEntity, bodies);
        statuses.Count(s => s == HttpStatusCode.Created).Should().Be(expo.Smes.Length, "one open request per SME, and each SME got one");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests WHERE state = 'pending'")).Should().Be(expo.Smes.Length);
        foreach (var c in smes) c.Dispose();
    }

    [Fact]
    public async Task Many_participants_writing_to_one_event_on_PostgreSQL_at_once_are_all_answered_and_hardly_retried()
    {
        await using var database = await FreshDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(smes: 40, postgres: database);
        var smes = new List<HttpClient>();
        foreach (var id in expo.Smes) smes.Add(await expo.AsAsync("sme", id));

        var first = new List<long>();
        for (var i = 0; i < expo.Smes.Length; i++) first.Add(await expo.RequestAsync(smes[i], expo.Smes[i], expo.Posco));
        using var posco = await expo.AsAsync("buyer", expo.Posco);

        // At once, as the scale-out benchmark's mixed writes: POSCO decides every request while each SME asks KHNP and
        // withdraws nothing. When these were SERIALIZABLE side by side, a share of them failed its checks more often than
        // the pipeline retries and reached the caller as 500 (34 rolled back here); then writers of one event took turns;
        // now each locks only the rows it checks (StoreWrites.WriteEventRowsAsync) and they go on side by side.
        var rolledBackBefore = await RolledBackAsync(expo);
        var decisions = first.Select((requestId, i) => posco.PostAsJsonAsync(
            $"/api/events/busan-test/buyers/{expo.Posco}/requests/{requestId}/{(i % 2 == 0 ? "accept" : "decline")}", new { }));
        var asks = expo.Smes.Select((id, i) => smes[i].PostAsJsonAsync($"/api/events/busan-test/smes/{id}/requests",
            new { buyerId = expo.Khnp, priority = 2, pitch = "동시 요청" }));
        var responses = await Task.WhenAll(decisions.Concat(asks));

        var failed = string.Join(" | ", await Task.WhenAll(responses.Where(r => !r.IsSuccessStatusCode).Select(r => r.Content.ReadAsStringAsync())));
        responses.Should().OnlyContain(r => r.IsSuccessStatusCode, failed);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests WHERE state = 'pending'")).Should().Be(expo.Smes.Length);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests WHERE state IN ('accepted', 'declined')")).Should().Be(expo.Smes.Length);
        // They hardly ever need a retry (a retry is a transaction rolled back on a serialization failure or a deadlock).
        (await RolledBackAsync(expo) - rolledBackBefore).Should().BeLessThan(5);
        foreach (var c in smes) c.Dispose();
    }

    // Transactions of this database rolled back so far, as PostgreSQL's statistics count them (flushed within a second; each read opens a new session).
    static async Task<long> RolledBackAsync(SmallExpo expo)
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return await expo.ScalarAsync<long>("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()");
    }

    [Fact]
    public async Task Events_created_at_the_same_moment_on_PostgreSQL_are_all_created_and_a_taken_id_is_refused_once()
    {
        await using var database = await FreshDatabaseAsync();
        using var host = new MatchmakerHost(postgres: database);
        using var client = host.CreateClient();
        object Definition(string eventId) => new
        {
            eventId, name = "동시 생성 " + eventId, venue = "BEXCO",
            days = new[] { new { date = "2026-09-08", windows = new[] { new { start = "10:00", end = "12:00" } }, breaks = Array.Empty<object>() } },
        };

        // Each creation checks that its id is free, then inserts: SERIALIZABLE refuses the ones that overlap, and the
        // store-write pipeline runs them again (before, the refusal reached the organiser as a 500).
        var ids = Enumerable.Range(1, 8).Select(i => $"daegu-{i}").Append("daegu-1").ToList();
        var responses = await Task.WhenAll(ids.Select(id => client.PostAsJsonAsync("/api/events", Definition(id))));

        var bodies = string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync())));
        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(8, bodies);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(1, "daegu-1 was asked for twice: " + bodies);
        (await client.GetFromJsonAsync<JsonElement>("/api/events")).GetArrayLength().Should().Be(8);
    }

    [Fact]
    public async Task A_retried_POST_with_the_same_Idempotency_Key_on_PostgreSQL_creates_one_request_and_replays_the_answer()
    {
        await using var database = await FreshDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(postgres: database);
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/requests";
        HttpRequestMessage Post() => new(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { buyerId = expo.Posco, pitch = "첫 요청" }), Headers = { { "Idempotency-Key", "retry-1" } },
        };

        var first = await sme.SendAsync(Post());
        var retry = await sme.SendAsync(Post());

        first.StatusCode.Should().Be(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync(), "the stored body (bytea) is replayed as it was");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(1);
    }

    [Fact]
    public async Task Analysts_saving_one_weight_profile_at_once_on_PostgreSQL_each_get_their_own_version_and_no_error()
    {
        await using var database = await FreshDatabaseAsync();
        using var host = new MatchmakerHost(postgres: database);
        using var client = host.CreateClient();

        // Each save reads the name's highest version and adds one: serializable transactions collide and are run again.
        var responses = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            client.PostAsJsonAsync("/api/weight-profiles", new { name = "busan-2026-tuned", description = $"analyst {i}" })));

        var bodies = string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync())));
        responses.Select(r => r.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Created, bodies);
        var versions = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32()));
        versions.Order().Should().Equal([1, 2, 3, 4, 5, 6]);
    }
}
