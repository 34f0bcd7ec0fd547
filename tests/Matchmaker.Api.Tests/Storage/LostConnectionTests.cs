using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Matchmaker.Api.Tests.Requests;
using Matchmaker.Core.Storage;
using Matchmaker.Tests.Postgres;
using Npgsql;

namespace Matchmaker.Api.Tests.Storage;

/// <summary>
/// PostgreSQL restarts (or an administrator ends the sessions): every pooled connection of every process is dead, and
/// Npgsql only learns it when one is used. Each API process must then fail at most one request, with 503
/// store_unavailable and Retry-After, never 500, and open fresh connections for the following ones (Npgsql drops the
/// pool when the first one breaks; the change listener, which hears of a restart at once, drops it before any request
/// meets one); a write lost before its commit is run again on a fresh connection, one lost during its commit is not. The sessions are ended with
/// <c>pg_terminate_backend</c> from an admin connection of the test's own database (what a restart does to them: the
/// next use answers 57P01), not by restarting the cluster the other tests share.
/// </summary>
public class LostConnectionTests
{
    const int Processes = 2;

    /// <summary>An admin session of its own (not pooled, so no host's pool clearing touches it).</summary>
    static async Task<NpgsqlConnection> AdminAsync(TestPostgresDatabase database)
    {
        var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, ApplicationName = "test-admin" }.ConnectionString);
        await admin.OpenAsync();
        return admin;
    }

    /// <summary>A second API process on the same database: a pool of its own, as in another process (Npgsql pools by
    /// connection string, so another application name gives another pool in this test process).</summary>
    static MatchmakerHost SecondProcess(TestPostgresDatabase database) => new(runJobs: false, postgres: database, settings: new Dictionary<string, string>
    {
        ["Matchmaker:Store:ConnectionString"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "api-2" }.ConnectionString,
    });

    [Theory]
    [InlineData(false)] // the pooled sessions only: no process hears of it before a request meets a dead connection
    [InlineData(true)]  // every session, as a restart does: the change listener of each process hears it at once
    public async Task After_the_database_ends_every_session_each_API_process_fails_at_most_one_request_with_503_store_unavailable_and_none_with_500(
        bool listenersToo)
    {
        await using var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(postgres: database);
        using var second = SecondProcess(database);
        using var secondOrganiser = second.CreateClient();
        var organisers = new[] { expo.Organiser, secondOrganiser };
        string[] urls = ["/api/events/busan-test/smes", "/api/events/busan-test/buyers", "/api/events/busan-test"];

        // Each process's pool holds several connections, as after a busy minute.
        foreach (var organiser in organisers)
            foreach (var response in await Task.WhenAll(Enumerable.Range(0, 12).Select(i => organiser.GetAsync(urls[i % urls.Length]))))
                response.StatusCode.Should().Be(HttpStatusCode.OK);

        await using var admin = await AdminAsync(database);
        var sessions = await admin.QueryAsync<(int Pid, string Application)>("""
            SELECT pid, application_name FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND (@listenersToo OR application_name <> @listener)
            """, new { listenersToo, listener = EventChanges.ListenerApplicationName });
        var pooled = sessions.Count(s => s.Application != EventChanges.ListenerApplicationName);
        pooled.Should().BeGreaterThanOrEqualTo(2 * Processes, "each process has more than one pooled connection to lose");
        foreach (var (pid, _) in sessions) await admin.ExecuteAsync("SELECT pg_terminate_backend(@pid, 5000)", new { pid });

        // One after the other, more requests than there were pooled connections, to each process.
        var failures = new List<(int Process, HttpResponseMessage Response, string Body)>();
        for (var process = 0; process < Processes; process++)
            for (var i = 0; i < pooled + 5; i++)
            {
                var response = await organisers[process].GetAsync(urls[i % urls.Length]);
                if (!response.IsSuccessStatusCode) failures.Add((process, response, await response.Content.ReadAsStringAsync()));
            }

        failures.Should().NotContain(f => f.Response.StatusCode == HttpStatusCode.InternalServerError);
        failures.CountBy(f => f.Process).Should().NotContain(c => c.Value > 1, "the first lost connection drops the others of its pool");
        foreach (var (_, response, body) in failures)
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, body);
            JsonDocument.Parse(body).RootElement.GetProperty("code").GetString().Should().Be("store_unavailable");
            response.Headers.RetryAfter.Should().NotBeNull();
        }
        // Not vacuous: with the listeners left alone, nothing but a use finds the pooled connections dead, and the process
        // that runs no jobs meets one with its first request (the other one's jobs may meet it first).
        if (!listenersToo) failures.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_write_whose_connection_is_lost_before_its_commit_is_run_again_on_a_fresh_one_and_written_once()
    {
        await using var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(postgres: database);
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        await using var admin = await AdminAsync(database);
        var eventDbId = await admin.ExecuteScalarAsync<long>("SELECT id FROM events WHERE event_id = 'busan-test'");

        // The event's writers take turns under its advisory lock (StoreDialect): held here, the request's write waits for it
        // before its transaction begins, and its session is ended while it waits.
        await admin.ExecuteAsync("SELECT pg_advisory_lock(@space, @key)", new { space = 0x4D4D_0015, key = (int)eventDbId });
        var sent = sme.PostAsJsonAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new { buyerId = expo.Posco, priority = 1, pitch = "금형" });
        var first = await WaitingForAdvisoryLockAsync(admin, except: null);
        await admin.ExecuteAsync("SELECT pg_terminate_backend(@first, 5000)", new { first });
        var again = await WaitingForAdvisoryLockAsync(admin, except: first); // the write, again, on a fresh connection
        await admin.ExecuteAsync("SELECT pg_advisory_unlock(@space, @key)", new { space = 0x4D4D_0015, key = (int)eventDbId });

        var response = await sent;
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        again.Should().NotBe(first);
        (await admin.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests WHERE sme_id = @sme", new { sme = expo.Smes[0] }))
            .Should().Be(1);
    }

    [Fact]
    public async Task A_write_whose_connection_is_lost_during_its_commit_is_not_run_again_and_answers_503_store_unavailable()
    {
        await using var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(postgres: database);
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        await using var admin = await AdminAsync(database);

        // A deferred trigger makes the commit of a new request wait for a lock the test holds: the connection is then
        // lost with the COMMIT sent, when the client cannot know whether it happened.
        await admin.ExecuteAsync("""
            CREATE FUNCTION test_hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM set_config('lock_timeout', '0', true); PERFORM pg_advisory_xact_lock(4242); RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER test_hold_commit AFTER INSERT ON introduction_requests DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION test_hold_commit();
            SELECT pg_advisory_lock(4242);
            """);
        var sent = sme.PostAsJsonAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new { buyerId = expo.Posco, priority = 1, pitch = "금형" });
        var committing = await WaitingForAdvisoryLockAsync(admin, except: null);
        (await admin.ExecuteScalarAsync<string>("SELECT query FROM pg_stat_activity WHERE pid = @committing", new { committing }))
            .Should().Be("COMMIT");
        await admin.ExecuteAsync("SELECT pg_terminate_backend(@committing, 5000)", new { committing });

        // Answered while the lock is still held: a write run again would be waiting at its commit once more.
        var response = await sent;
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("store_unavailable");
        response.Headers.RetryAfter.Should().NotBeNull();
        (await admin.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'"))
            .Should().Be(0, "the write was not sent again");
        await admin.ExecuteAsync("SELECT pg_advisory_unlock(4242)");
        (await admin.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests WHERE sme_id = @sme", new { sme = expo.Smes[0] }))
            .Should().Be(0, "the commit was ended before it happened");

        // The SME sends it again, and the process answers on a fresh connection.
        await admin.ExecuteAsync("DROP TRIGGER test_hold_commit ON introduction_requests");
        await expo.RequestAsync(sme, expo.Smes[0], expo.Posco);
    }

    [Fact]
    public async Task A_job_whose_connections_are_lost_mid_run_is_run_again_on_fresh_ones_and_completes_once()
    {
        await using var database = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        await using var expo = await SmallExpo.StartAsync(postgres: database); // its host runs the jobs
        await using var admin = await AdminAsync(database);
        var smesBefore = await admin.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes");

        // The import's writes wait for a table lock the test holds; meanwhile every session of the process ends, as in a
        // restart: the job's transaction, the lock its run holds, the listener, the idle pool.
        await using (var hold = await admin.BeginTransactionAsync())
        {
            await admin.ExecuteAsync("LOCK TABLE smes IN SHARE ROW EXCLUSIVE MODE", transaction: hold);
            var import = await expo.Organiser.PostAsync("/api/events/busan-test/imports",
                ExpoFixtures.Upload(System.Text.Encoding.UTF8.GetBytes(ExpoFixtures.SmesCsv(5, firstSeed: 500)), "smes.csv", "smes"));
            import.StatusCode.Should().Be(HttpStatusCode.Accepted, await import.Content.ReadAsStringAsync());
            var jobId = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
            await WaitingForLockAsync(admin, "relation", except: null);
            await admin.ExecuteAsync("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                transaction: hold);
            await hold.CommitAsync();

            var job = await ExpoFixtures.WaitForJobAsync(expo.Organiser, jobId);
            job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
            job.GetProperty("attempts").GetInt32().Should().Be(2, "the lost connection is a passing fault: the job is run once more");
        }
        (await admin.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes")).Should().Be(smesBefore + 5, "the first run wrote nothing");
    }

    /// <summary>The session (other than <paramref name="except"/>) that waits for an advisory lock, once there is one.</summary>
    static Task<int> WaitingForAdvisoryLockAsync(NpgsqlConnection admin, int? except) => WaitingForLockAsync(admin, "advisory", except);

    /// <summary>The session (other than <paramref name="except"/>) that waits for a lock of that kind, once there is one.</summary>
    static async Task<int> WaitingForLockAsync(NpgsqlConnection admin, string kind, int? except)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var pid = await admin.ExecuteScalarAsync<int?>("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = @kind AND pid <> COALESCE(@except, 0)
                LIMIT 1
                """, new { kind, except });
            if (pid is { } found) return found;
            if (waited.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("no session came to wait for the lock");
            await Task.Delay(20);
        }
    }
}
