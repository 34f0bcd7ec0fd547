using System.Net;
using System.Text.Json;

namespace Matchmaker.Api.Tests.Health;

public class HealthAndOpenApiTests
{
    [Fact]
    public async Task Health_reports_healthy_when_the_store_is_migrated()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();

        var response = await client.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        health.GetProperty("status").GetString().Should().Be("Healthy", health.ToString());
        var database = Check(health, "database");
        database.GetProperty("data").GetProperty("provider").GetString().Should().Be("sqlite");
        database.GetProperty("data").GetProperty("schemaVersion").GetInt32().Should().Be(Matchmaker.Core.Storage.Migrations.Latest);
        var jobs = Check(health, "jobs");
        jobs.GetProperty("status").GetString().Should().Be("Healthy");
        jobs.GetProperty("data").GetProperty("scheduler").GetString().Should().Be("running", "the API runs the jobs itself by default");
        jobs.GetProperty("data").GetProperty("clustered").GetBoolean().Should().BeFalse("Quartz does not cluster on SQLite");
        File.Exists(host.DatabasePath).Should().BeTrue("the store lives in the configured data folder");
    }

    internal static JsonElement Check(JsonElement health, string name) =>
        health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Health_reports_degraded_jobs_when_the_API_runs_none_and_no_worker_is_alive()
    {
        using var host = new MatchmakerHost(runJobs: false);
        using var client = host.CreateClient();

        var response = await client.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the API still answers everything but queued work");
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        health.GetProperty("status").GetString().Should().Be("Degraded");
        var jobs = Check(health, "jobs");
        jobs.GetProperty("status").GetString().Should().Be("Degraded");
        jobs.GetProperty("data").GetProperty("runsJobsHere").GetBoolean().Should().BeFalse();
        jobs.GetProperty("data").GetProperty("anyWorkerAlive").GetBoolean().Should().BeFalse();
        Check(health, "database").GetProperty("status").GetString().Should().Be("Healthy");
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_read_endpoints()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain(["/api/events", "/api/events/{eventId}", "/api/events/{eventId}/buyers",
            "/api/events/{eventId}/smes", "/api/events/{eventId}/slots", "/api/jobs/{jobId}"]);
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_hand_written_bodies_have_examples()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();
        operations.Should().HaveCountGreaterThan(40);
        operations.Where(o => !o.Operation.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString()))
            .Select(o => $"{o.Method} {o.Path}").Should().BeEmpty("every endpoint says what it does");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[] { "EventDefinition", "NewRequest", "OutcomeRequest", "RepairRequest", "IssueTokenRequest" })
            schemas.GetProperty(name).GetProperty("examples").GetArrayLength().Should().BeGreaterThan(0, name);
    }
}

public class LanguageTests
{
    [Theory]
    [InlineData("ko-KR,ko;q=0.9,en;q=0.8", "찾을 수 없습니다")]
    [InlineData("en-US", "Not found")]
    [InlineData(null, "Not found")]
    public async Task Problems_speak_the_callers_language(string? acceptLanguage, string title)
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/nope");
        if (acceptLanguage is not null) request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);

        var problem = JsonDocument.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        problem.GetProperty("title").GetString().Should().Be(title);
    }
}
