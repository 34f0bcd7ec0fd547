using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Matchmaker.Api.Tests.Requests;
using Matchmaker.Api.Tests.Scenario;
using Matchmaker.Core.Storage;
using Matchmaker.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Api.Tests.Storage;

/// <summary>
/// Two API processes on one PostgreSQL database, as behind a reverse proxy: two real app hosts, each with its own caches,
/// the first running the jobs, the second only serving requests (<c>Matchmaker:Worker:InProcess=false</c>).
/// </summary>
public class SeveralApiProcessesTests
{
    /// <summary>The expo's host (runs the jobs), a second host that runs none, and their database; disposed in that order.</summary>
    sealed class TwoProcesses(TestPostgresDatabase database, SmallExpo expo, MatchmakerHost second) : IAsyncDisposable
    {
        public void Deconstruct(out SmallExpo first, out MatchmakerHost other) => (first, other) = (expo, second);

        public async ValueTask DisposeAsync()
        {
            second.Dispose();
            await expo.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    static async Task<TwoProcesses> TwoProcessesAsync()
    {
        var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        var expo = await SmallExpo.StartAsync(postgres: database);
        var second = new MatchmakerHost(runJobs: false, postgres: database);
        using (second.CreateClient()) { } // starts it
        await ListeningAsync(expo.Host);
        await ListeningAsync(second);
        return new TwoProcesses(database, expo, second);
    }

    /// <summary>Until the host hears the other processes' changes, it serves nothing prepared; the tests want its caches on.</summary>
    static async Task ListeningAsync(MatchmakerHost host)
    {
        var changes = host.Services.GetRequiredService<Database>().Changes;
        var waited = Stopwatch.StartNew();
        while (!changes.Trusted)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the host never started listening for changes");
            await Task.Delay(20);
        }
    }

    static JsonElement Khnp(JsonElement recommendations, SmallExpo expo) =>
        recommendations.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("buyerId").GetInt64() == expo.Khnp);

    [Fact]
    public async Task A_request_sent_through_one_API_process_shows_at_once_in_the_other_process_s_prepared_recommendations()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;
        var (_, token) = await expo.IssueTokenAsync("sme", expo.Smes[0]);
        using var smeOnFirst = expo.Host.CreateClientWithToken(token);
        using var smeOnSecond = second.CreateClientWithToken(token);
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/recommendations?top=5";
        Khnp(await ExpoDayScenarioTests.WaitForRecommendationsAsync(smeOnSecond, expo.Smes[0]), expo).GetProperty("request").ValueKind
            .Should().Be(JsonValueKind.Null);

        // A write that no process announces (straight into the database) is not seen: the second process does keep its answer...
        await expo.ScalarAsync<long>("UPDATE event_buyers SET name = '한수원 (개명)' WHERE buyer_id = @Khnp RETURNING 1", new { expo.Khnp });
        Khnp(await smeOnSecond.GetFromJsonAsync<JsonElement>(url), expo).GetProperty("buyerName").GetString().Should().Be("한국수력원자력");

        // ...and drops it as soon as the first process commits a change of the event.
        var requestId = await expo.RequestAsync(smeOnFirst, expo.Smes[0], expo.Khnp);
        var seen = Khnp(await smeOnSecond.GetFromJsonAsync<JsonElement>(url), expo);

        seen.GetProperty("request").GetProperty("requestId").GetInt64().Should().Be(requestId);
        seen.GetProperty("request").GetProperty("state").GetString().Should().Be("pending");
        seen.GetProperty("buyerName").GetString().Should().Be("한수원 (개명)");
    }

    [Fact]
    public async Task Scores_a_worker_rewrites_show_in_the_other_process_s_prepared_recommendations_as_soon_as_the_job_has_succeeded()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;
        using var sme = await expo.AsAsync("sme", expo.Smes[0], on: second);
        using var organiserOnSecond = second.CreateClient();
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/recommendations?top=5";
        (await ExpoDayScenarioTests.WaitForRecommendationsAsync(sme, expo.Smes[0])).GetProperty("profile").GetString().Should().Be("default");
        (await sme.GetFromJsonAsync<JsonElement>(url)).GetProperty("profile").GetString().Should().Be("default");

        // The analyst switches the event to another profile through the process that runs no jobs; the first one rescores.
        var created = await organiserOnSecond.PostAsJsonAsync("/api/weight-profiles", new { name = "text-heavy", weights = new { text = 0.6, industry = 0.2 } });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var profileId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var activated = await organiserOnSecond.PutAsJsonAsync("/api/events/busan-test/weight-profile", new { profileId });
        activated.StatusCode.Should().Be(HttpStatusCode.Accepted, await activated.Content.ReadAsStringAsync());
        var job = await ExpoFixtures.WaitForJobAsync(organiserOnSecond, (await activated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());

        (await sme.GetFromJsonAsync<JsonElement>(url)).GetProperty("profile").GetString().Should().Be("text-heavy");
    }

    [Fact]
    public async Task A_token_revoked_through_one_API_process_is_refused_at_once_by_the_other()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;
        var (tokenId, token) = await expo.IssueTokenAsync("sme", expo.Smes[0]);
        using var smeOnSecond = second.CreateClientWithToken(token);
        var mine = $"/api/events/busan-test/smes/{expo.Smes[0]}/requests";
        (await smeOnSecond.GetAsync(mine)).StatusCode.Should().Be(HttpStatusCode.OK, "the second process checked the token and remembers it");
        (await smeOnSecond.GetAsync(mine)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await expo.Organiser.DeleteAsync($"/api/tokens/{tokenId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await smeOnSecond.GetAsync(mine)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Two_acceptances_racing_for_the_last_table_through_two_API_processes_end_with_exactly_one_winner()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;

        await RequestFlowTests.TwoAcceptancesRaceForOneTableAsync(expo, secondProcess: second);
    }

    [Fact]
    public async Task A_POST_retried_against_the_other_API_process_with_the_same_Idempotency_Key_replays_the_first_answer()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;
        var (_, token) = await expo.IssueTokenAsync("sme", expo.Smes[0]);
        using var smeOnFirst = expo.Host.CreateClientWithToken(token);
        using var smeOnSecond = second.CreateClientWithToken(token);
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/requests";
        HttpRequestMessage Post(string pitch) => new(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { buyerId = expo.Posco, pitch }), Headers = { { "Idempotency-Key", "expo-wifi-retry" } },
        };

        var first = await smeOnFirst.SendAsync(Post("첫 요청"));
        var retry = await smeOnSecond.SendAsync(Post("첫 요청"));
        var changed = await smeOnSecond.SendAsync(Post("다른 요청"));

        first.StatusCode.Should().Be(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        changed.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "the key was used for another request, in whichever process");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(1);
    }

    [Fact]
    public async Task An_API_process_that_runs_no_jobs_reports_the_clustered_worker_nodes_it_sees_and_that_it_hears_changes()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;
        using var client = second.CreateClient();

        var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;

        health.GetProperty("status").GetString().Should().Be("Healthy", health.ToString());
        var store = Health.HealthAndOpenApiTests.Check(health, "database").GetProperty("data");
        store.GetProperty("provider").GetString().Should().Be("postgres");
        store.GetProperty("changeNotifications").GetString().Should().Be("listening");
        var jobs = Health.HealthAndOpenApiTests.Check(health, "jobs").GetProperty("data");
        jobs.GetProperty("runsJobsHere").GetBoolean().Should().BeFalse();
        jobs.GetProperty("clustered").GetBoolean().Should().BeTrue();
        jobs.GetProperty("aliveNodes").GetInt32().Should().Be(1, "the first process runs the jobs and checks in");
        jobs.GetProperty("anyWorkerAlive").GetBoolean().Should().BeTrue();
        jobs.GetProperty("outboxSweepLastFiredAt").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2),
            "the first process swept the outbox when it started (Quartz's instants are read as ticks)");
    }

    [Fact]
    public async Task A_key_reserved_by_a_process_that_died_mid_request_is_refused_while_fresh_and_taken_over_once_abandoned()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;
        var (tokenId, token) = await expo.IssueTokenAsync("sme", expo.Smes[0]);
        using var sme = second.CreateClientWithToken(token);
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/requests";
        var body = $$"""{"buyerId":{{expo.Posco}},"pitch":"재시도"}""";
        HttpRequestMessage Post(string key) => new(HttpMethod.Post, url)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Headers = { { "Idempotency-Key", key } },
        };
        var requestHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
        // What the first process had written when it died: the reservation, no answer.
        async Task ReserveAsync(string key, TimeSpan ago) => await expo.ScalarAsync<long>("""
            INSERT INTO idempotency_keys (idempotency_key, token_id, method, path, request_hash, status, body, created_at)
            VALUES (@key, @tokenId, 'POST', @url, @requestHash, 0, @noBody, @at) RETURNING 1
            """, new { key, tokenId, url, requestHash, noBody = Array.Empty<byte>(), at = DateTimeOffset.UtcNow - ago });
        await ReserveAsync("fresh", TimeSpan.FromSeconds(5));
        await ReserveAsync("abandoned", TimeSpan.FromMinutes(3));

        var whileRunning = await sme.SendAsync(Post("fresh"));
        var takenOver = await sme.SendAsync(Post("abandoned"));
        var replayed = await sme.SendAsync(Post("abandoned"));

        whileRunning.StatusCode.Should().Be(HttpStatusCode.Conflict, "the first request may still be running in another process");
        takenOver.StatusCode.Should().Be(HttpStatusCode.Created, await takenOver.Content.ReadAsStringAsync());
        replayed.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(1);
    }

    [Fact]
    public async Task A_process_whose_listening_connection_was_cut_reconnects_and_counts_everything_as_changed()
    {
        await using var processes = await TwoProcessesAsync();
        var (expo, second) = processes;
        using var sme = await expo.AsAsync("sme", expo.Smes[0], on: second);
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/recommendations?top=5";
        await ExpoDayScenarioTests.WaitForRecommendationsAsync(sme, expo.Smes[0]);
        Khnp(await sme.GetFromJsonAsync<JsonElement>(url), expo).GetProperty("buyerName").GetString().Should().Be("한국수력원자력");

        // The server ends every listening session (as a restart or a network cut would); meanwhile a change is written that
        // no process announces.
        (await expo.ScalarAsync<long>("""
            SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'
            """)).Should().Be(2, "each process listens on one connection");
        await expo.ScalarAsync<long>("UPDATE event_buyers SET name = '한수원 (개명)' WHERE buyer_id = @Khnp RETURNING 1", new { expo.Khnp });

        // Whatever was announced while no one listened is lost, so the process drops everything it kept once it hears again.
        var waited = Stopwatch.StartNew();
        string? name;
        while ((name = Khnp(await sme.GetFromJsonAsync<JsonElement>(url), expo).GetProperty("buyerName").GetString()) != "한수원 (개명)"
               && waited.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(50);
        name.Should().Be("한수원 (개명)", "answers kept from before the cut are not served again");
        await ListeningAsync(second);
        Health.HealthAndOpenApiTests.Check(JsonDocument.Parse(await second.CreateClient().GetStringAsync("/health")).RootElement, "database")
            .GetProperty("data").GetProperty("changeNotifications").GetString().Should().Be("listening", "it reconnected");
    }
}
