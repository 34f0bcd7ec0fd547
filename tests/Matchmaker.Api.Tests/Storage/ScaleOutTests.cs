using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Matchmaker.Api.Tests.Storage;

/// <summary>
/// The README's "Running on several machines" as bench/scale-out/run-cluster.sh does it on loopback: a PostgreSQL cluster
/// of its own, two API processes (Matchmaker:Worker:InProcess=false) and two standalone workers started from the built
/// dlls at the same moment on an empty database, and nginx in front with deploy/nginx/matchmaker.conf. Everything below
/// goes over HTTP on 127.0.0.1, through nginx or straight to one API process and then the other.
/// </summary>
public class ScaleOutTests
{
    [Fact]
    public async Task The_sample_expo_runs_end_to_end_on_PostgreSQL_with_two_API_processes_and_two_workers_behind_nginx()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        using var proxy = cluster.Client(cluster.ProxyUrl);
        using var first = cluster.Client(cluster.ApiUrls[0]);
        using var second = cluster.Client(cluster.ApiUrls[1]);

        // Both API processes started together on the empty database: one migrated, loaded and scored the samples under
        // the startup lock, the other found them there. Both serve the same store.
        var events = await proxy.GetFromJsonAsync<JsonElement>("/api/events");
        events.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).Should()
            .BeEquivalentTo(["busan-2026", "past-2023", "past-2024", "past-2025"], "the samples were loaded once");
        (await second.GetFromJsonAsync<JsonElement>("/api/events")).GetArrayLength().Should().Be(4);
        await using (var store = new NpgsqlConnection(cluster.ConnectionString))
        {
            (await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM access_tokens WHERE role = 'administrator'"))
                .Should().Be(1, "one administrator token was issued, by the process that prepared the store");
            // The script is ready when the API processes answer; a worker checks in when its scheduler has started.
            var nodes = 0L;
            for (var waited = Stopwatch.StartNew(); nodes < 2 && waited.Elapsed < TimeSpan.FromSeconds(90); await Task.Delay(200))
                nodes = await store.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM qrtz_scheduler_state");
            nodes.Should().Be(2, "both workers checked in to the clustered job store, and neither API process runs jobs");
        }

        // Scoring: asked of one API process, run by a worker, followed on the other API process.
        var rescore = await first.PostAsync("/api/events/busan-2026/rescoring", null);
        rescore.StatusCode.Should().Be(HttpStatusCode.Accepted, await rescore.Content.ReadAsStringAsync());
        var scored = await ExpoFixtures.WaitForJobAsync(second, await JobIdAsync(rescore), 120);
        scored.GetProperty("state").GetString().Should().Be("succeeded", scored.ToString());
        var buyer = (await proxy.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/buyers"))[0].GetProperty("id").GetInt64();
        (await second.GetStringAsync($"/api/events/busan-2026/buyers/{buyer}/matches")).Should().Contain("score");

        // Timetable: built by a worker (asked of the second process), published through nginx.
        var build = await second.PostAsync("/api/events/busan-2026/timetable", null);
        build.StatusCode.Should().Be(HttpStatusCode.Accepted, await build.Content.ReadAsStringAsync());
        var built = await ExpoFixtures.WaitForJobAsync(first, await JobIdAsync(build), 120);
        built.GetProperty("state").GetString().Should().Be("succeeded", built.ToString());
        var published = await proxy.PostAsync("/api/events/busan-2026/timetable/publish", null);
        published.StatusCode.Should().Be(HttpStatusCode.OK, await published.Content.ReadAsStringAsync());

        // Itineraries: the same meetings read from either process and through nginx.
        var grid = await first.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/timetable");
        grid.GetProperty("status").GetString().Should().Be("published");
        grid.GetProperty("meetingCount").GetInt32().Should().BeGreaterThan(500);
        var sme = grid.GetProperty("meetings")[0].GetProperty("smeId").GetInt64();
        var expected = grid.GetProperty("meetings").EnumerateArray().Count(m => m.GetProperty("smeId").GetInt64() == sme);
        foreach (var client in new[] { proxy, first, second })
        {
            var itinerary = await client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/smes/{sme}/itinerary");
            itinerary.GetProperty("meetings").GetArrayLength().Should().Be(expected);
        }
        (await proxy.GetStringAsync($"/api/events/busan-2026/smes/{sme}/itinerary.ics")).Should().Contain("BEGIN:VEVENT");

        // Behind nginx, the links the API builds point where the browser went (forwarded Host), not to the upstream port;
        // straight from a loopback proxy that says so, HTTPS and the public host are believed.
        var viaProxy = await SignInLinkAsync(proxy);
        viaProxy.Should().StartWith(cluster.ProxyUrl + "/login?token=");
        using var forwarded = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/" + await AccountAsync(first) + "/tokens")
        {
            Content = JsonContent.Create(new { label = "forwarded" }),
            Headers = { { "X-Forwarded-Proto", "https" }, { "X-Forwarded-Host", "expo.example.kr" } },
        };
        var issued = await second.SendAsync(forwarded);
        issued.StatusCode.Should().Be(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signInLink").GetString().Should().StartWith("https://expo.example.kr/login?token=");
    }

    static async Task<string> JobIdAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;

    static async Task<long> AccountAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/accounts", new { name = "부산 주최자 " + Guid.NewGuid().ToString("N")[..6], role = "organiser", email = "organiser@example.kr" });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetInt64();
    }

    static async Task<string> SignInLinkAsync(HttpClient client)
    {
        var issued = await client.PostAsJsonAsync($"/api/accounts/{await AccountAsync(client)}/tokens", new { label = "via nginx" });
        issued.StatusCode.Should().Be(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        return (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signInLink").GetString()!;
    }
}

/// <summary>
/// bench/scale-out/run-cluster.sh started by a test, on the build outputs of this test run's configuration; stopped (and
/// its folder deleted) at dispose, or by the script itself when the test process ends however it ends.
/// </summary>
sealed class LoopbackCluster : IAsyncDisposable
{
    readonly Process _script;
    readonly Dictionary<string, string> _settings;

    LoopbackCluster(Process script, Dictionary<string, string> settings)
    {
        _script = script;
        _settings = settings;
    }

    public string ProxyUrl => _settings["PROXY_URL"];
    public string[] ApiUrls => _settings["API_URLS"].Split(' ');
    public string ConnectionString => _settings["CONNECTION_STRING"];

    public HttpClient Client(string url) => new()
    {
        BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", _settings["ORGANISER_TOKEN"]) },
    };

    public static async Task<LoopbackCluster> StartAsync()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "bench", "scale-out", "run-cluster.sh"))) repository = repository.Parent;
        if (repository is null) throw new InvalidOperationException("bench/scale-out/run-cluster.sh not found above " + AppContext.BaseDirectory);
        // …/tests/Matchmaker.Api.Tests/bin/<configuration>/net10.0/: the API and worker were built in the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = repository.FullName,
        };
        foreach (var a in new[] { "bench/scale-out/run-cluster.sh", "--built-config", configuration, "--watch-pid", Environment.ProcessId.ToString() })
            start.ArgumentList.Add(a);
        var script = Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        script.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        script.BeginErrorReadLine();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        script.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) ready.TrySetException(new InvalidOperationException("run-cluster.sh ended before it was ready"));
            else if (e.Data.StartsWith("READY ", StringComparison.Ordinal)) ready.TrySetResult(e.Data["READY ".Length..]);
        };
        script.BeginOutputReadLine();
        string file;
        try
        {
            file = await ready.Task.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (Exception e)
        {
            Stop(script);
            string log;
            lock (errors) log = errors.ToString();
            throw new InvalidOperationException($"the loopback cluster did not start: {e.Message}\n{log}", e);
        }
        var settings = File.ReadAllLines(file).Where(l => l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..].Trim('"'));
        return new LoopbackCluster(script, settings);
    }

    static void Stop(Process script)
    {
        // SIGTERM, not Kill(): the script's trap stops the processes and the server and deletes the folder.
        if (!script.HasExited) Process.Start("kill", ["-TERM", script.Id.ToString()])!.WaitForExit();
        if (!script.WaitForExit(30_000)) script.Kill(entireProcessTree: true);
    }

    public ValueTask DisposeAsync()
    {
        Stop(_script);
        _script.Dispose();
        return ValueTask.CompletedTask;
    }
}
