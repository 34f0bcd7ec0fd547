using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Matching;

/// <summary>The sample expo and its past events, loaded once for the matching API tests.</summary>
public sealed class SampleExpoHost : IAsyncLifetime
{
    public MatchmakerHost Host { get; } = new(loadSamples: true);
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = Host.CreateClient();
        Client.Timeout = TimeSpan.FromMinutes(2);
        var response = await Client.PostAsync("/api/events/busan-2026/rescoring", null);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var job = await WaitForJobAsync(Client, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        Host.Dispose();
        return Task.CompletedTask;
    }
}

public class MatchingApiTests(SampleExpoHost expo) : IClassFixture<SampleExpoHost>
{
    HttpClient Client => expo.Client;

    static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        response.StatusCode.Should().Be(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await Json(response)).GetProperty("field").GetString().Should().Be(field);
    }

    async Task<long> FirstSmeIdAsync() =>
        (await Client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/smes?pageSize=1")).GetProperty("items")[0].GetProperty("id").GetInt64();

    [Fact]
    public async Task An_smes_matches_come_ranked_with_explanations_whose_contributions_add_up_to_the_score()
    {
        var smeId = await FirstSmeIdAsync();
        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/smes/{smeId}/matches?top=20");
        page.GetProperty("total").GetInt32().Should().BeGreaterThan(50);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        items.Should().HaveCount(20);
        for (var i = 0; i < items.Count; i++)
        {
            var score = items[i].GetProperty("score").GetDouble();
            score.Should().BeInRange(0, 1);
            items[i].GetProperty("rank").GetInt32().Should().Be(i + 1);
            var explanation = items[i].GetProperty("explanation");
            explanation.GetProperty("components").EnumerateArray().Sum(c => c.GetProperty("contribution").GetDouble()).Should().BeApproximately(score, 1e-9);
            explanation.GetProperty("components")[0].GetProperty("labelKo").GetString().Should().NotBeNullOrEmpty();
            if (i == 0) continue;
            var previous = items[i - 1];
            (previous.GetProperty("score").GetDouble() > score
             || (previous.GetProperty("score").GetDouble() == score && previous.GetProperty("id").GetInt64() < items[i].GetProperty("id").GetInt64()))
                .Should().BeTrue("ranked by score descending, then id ascending");
        }
        items[0].GetProperty("explanation").GetProperty("matchedTerms").GetArrayLength().Should().BeGreaterThan(0);
        var second = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/smes/{smeId}/matches?page=2&pageSize=10");
        second.GetProperty("items")[0].GetProperty("rank").GetInt32().Should().Be(11);
        second.GetProperty("items")[0].GetProperty("id").GetInt64().Should().Be(items[10].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_buyers_matches_list_smes_and_new_buyers_are_scored_on_content_alone()
    {
        var buyers = await Client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/buyers");
        var newBuyer = buyers.EnumerateArray().First(b => b.GetProperty("buyerId").GetString() == "UPA"); // new in 2026
        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/buyers/{newBuyer.GetProperty("id").GetInt64()}/matches?top=5");
        page.GetProperty("for").GetString().Should().Be("buyer");
        var first = page.GetProperty("items")[0];
        first.GetProperty("explanation").GetProperty("coldStart").GetBoolean().Should().BeTrue();
        first.GetProperty("explanation").GetProperty("noteEn").GetString().Should().Contain("content alone");
        var posco = buyers.EnumerateArray().First(b => b.GetProperty("buyerId").GetString() == "POSCO");
        var warm = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/buyers/{posco.GetProperty("id").GetInt64()}/matches?top=50");
        warm.GetProperty("items").EnumerateArray().Should().Contain(i => !i.GetProperty("explanation").GetProperty("coldStart").GetBoolean());
    }

    [Fact]
    public async Task The_distribution_counts_every_scored_pair()
    {
        var d = await Client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/scores/distribution?bins=5");
        d.GetProperty("pairs").GetInt32().Should().Be(226 * 78);
        d.GetProperty("histogram").EnumerateArray().Sum(h => h.GetInt32()).Should().Be(226 * 78);
        d.GetProperty("max").GetDouble().Should().BeLessThanOrEqualTo(1);
        await ShouldBeProblem(await Client.GetAsync("/api/events/nowhere/scores/distribution"), HttpStatusCode.NotFound, "eventId");
        await ShouldBeProblem(await Client.GetAsync("/api/events/busan-2026/scores/distribution?bins=0"), HttpStatusCode.BadRequest, "bins");
    }

    [Fact]
    public async Task Activating_a_hard_filter_profile_rescores_the_event_with_it()
    {
        var created = await Client.PostAsJsonAsync("/api/weight-profiles", new
        {
            name = "strict-certs", description = "hard filter on certifications",
            weights = new { text = 0.3, industry = 0.3, collaborative = 0.1 }, certificationRule = "hard_filter",
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var profile = await Json(created);
        profile.GetProperty("version").GetInt32().Should().Be(1);
        var id = profile.GetProperty("id").GetInt64();
        (await Client.GetFromJsonAsync<JsonElement>($"/api/weight-profiles/{id}")).GetProperty("certificationRule").GetString().Should().Be("hard_filter");
        (await Client.GetFromJsonAsync<JsonElement>("/api/weight-profiles")).EnumerateArray().Select(p => p.GetProperty("name").GetString())
            .Should().Contain(["default", "strict-certs"]);

        var activated = await Client.PutAsJsonAsync("/api/events/busan-2026/weight-profile", new { profileId = id });
        activated.StatusCode.Should().Be(HttpStatusCode.Accepted, await activated.Content.ReadAsStringAsync());
        var job = await WaitForJobAsync(Client, (await Json(activated)).GetProperty("jobId").GetString()!);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        job.GetProperty("kind").GetString().Should().Be("rescoring");

        var d = await Client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/scores/distribution");
        d.GetProperty("profile").GetProperty("id").GetInt64().Should().Be(id);
        d.GetProperty("pairs").GetInt32().Should().BeLessThan(226 * 78, "pairs missing a required certification are filtered out");
        var smeId = await FirstSmeIdAsync();
        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/smes/{smeId}/matches?top=200");
        page.GetProperty("items").EnumerateArray().Should().OnlyContain(i => i.GetProperty("explanation").GetProperty("missingCertifications").GetArrayLength() == 0);

        // back to the default profile for the other tests
        var defaultId = (await Client.GetFromJsonAsync<JsonElement>("/api/weight-profiles")).EnumerateArray()
            .First(p => p.GetProperty("name").GetString() == "default").GetProperty("id").GetInt64();
        var back = await Client.PutAsJsonAsync("/api/events/busan-2026/weight-profile", new { profileId = defaultId });
        await WaitForJobAsync(Client, (await Json(back)).GetProperty("jobId").GetString()!);
    }

    [Fact]
    public async Task Saving_a_profile_under_an_existing_name_adds_a_version()
    {
        var first = await Json(await Client.PostAsJsonAsync("/api/weight-profiles", new { name = "versioned", weights = new { text = 0.5 } }));
        var second = await Json(await Client.PostAsJsonAsync("/api/weight-profiles", new { name = "versioned", weights = new { text = 0.6 } }));
        second.GetProperty("version").GetInt32().Should().Be(first.GetProperty("version").GetInt32() + 1);
        (await Client.GetFromJsonAsync<JsonElement>($"/api/weight-profiles/{first.GetProperty("id").GetInt64()}"))
            .GetProperty("weights").GetProperty("text").GetDouble().Should().Be(0.5);
    }

    [Fact]
    public async Task Bad_input_is_a_problem_naming_the_field()
    {
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/weight-profiles", new { name = "bad", weights = new { text = 1.5 } }),
            HttpStatusCode.BadRequest, "weights.text");
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/weight-profiles", new { name = "bad", weights = new { region = -0.1 } }),
            HttpStatusCode.BadRequest, "weights.region");
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/weight-profiles", new { name = "no spaces", weights = new { } }),
            HttpStatusCode.BadRequest, "name");
        await ShouldBeProblem(await Client.GetAsync("/api/weight-profiles/999999"), HttpStatusCode.NotFound, "id");
        await ShouldBeProblem(await Client.PutAsJsonAsync("/api/events/busan-2026/weight-profile", new { profileId = 999999 }),
            HttpStatusCode.BadRequest, "profileId");
        await ShouldBeProblem(await Client.PutAsJsonAsync("/api/events/nowhere/weight-profile", new { profileId = 1 }),
            HttpStatusCode.NotFound, "eventId");
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/evaluations", new { eventIds = new[] { "past-2025" }, k = -1 }),
            HttpStatusCode.BadRequest, "k");
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/evaluations", new { eventIds = new[] { "past-2025" }, profileIds = new[] { 999999 } }),
            HttpStatusCode.BadRequest, "profileIds[0]");
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/evaluations", new { eventIds = new[] { "nowhere" } }),
            HttpStatusCode.BadRequest, "eventIds[0]");
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/weight-searches",
            new { fitEventIds = new[] { "past-2023", "past-2025" }, heldOutEventId = "past-2025" }), HttpStatusCode.BadRequest, "heldOutEventId");
        await ShouldBeProblem(await Client.PostAsJsonAsync("/api/weight-searches",
            new { fitEventIds = new[] { "past-2025" }, heldOutEventId = "past-2024" }), HttpStatusCode.BadRequest, "fitEventIds[0]");
        var smeId = await FirstSmeIdAsync();
        await ShouldBeProblem(await Client.GetAsync($"/api/events/busan-2026/smes/{smeId}/matches?top=0"), HttpStatusCode.BadRequest, "top");
        await ShouldBeProblem(await Client.GetAsync($"/api/events/busan-2026/smes/{smeId}/matches?pageSize=-3"), HttpStatusCode.BadRequest, "pageSize");
        await ShouldBeProblem(await Client.GetAsync("/api/events/busan-2026/smes/999999/matches"), HttpStatusCode.NotFound, "smeId");
        await ShouldBeProblem(await Client.GetAsync("/api/events/busan-2026/buyers/999999/matches"), HttpStatusCode.NotFound, "buyerId");
        await ShouldBeProblem(await Client.PostAsync("/api/events/nowhere/rescoring", null), HttpStatusCode.NotFound, "eventId");
    }

    [Fact]
    public async Task An_evaluation_replays_a_past_event_beside_the_baselines()
    {
        var response = await Client.PostAsJsonAsync("/api/evaluations", new { eventIds = new[] { "past-2025" }, k = 10 });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var results = (await Json(response)).GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("ranking").GetString()).Should().Equal("default", "popularity", "content-only", "cf-only");
        foreach (var r in results)
        {
            var m = r.GetProperty("metrics");
            m.GetProperty("ndcgPerSme").GetDouble().Should().BeInRange(0, 1);
            m.GetProperty("smesWithPositives").GetInt32().Should().BeGreaterThan(50);
            m.GetProperty("exposureGini").GetDouble().Should().BeInRange(0, 1);
        }
    }

    [Fact]
    public async Task A_weight_search_fits_on_earlier_events_and_reports_on_the_held_out_one()
    {
        var response = await Client.PostAsJsonAsync("/api/weight-searches",
            new { fitEventIds = new[] { "past-2024" }, heldOutEventId = "past-2025", candidates = 10, seed = 7 });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var report = await Json(response);
        report.GetProperty("heldOutEvent").GetString().Should().Be("past-2025");
        report.GetProperty("fitObjective").GetDouble().Should().BeGreaterThanOrEqualTo(report.GetProperty("baseFitObjective").GetDouble());
        report.GetProperty("heldOut").EnumerateArray().Select(r => r.GetProperty("eventId").GetString()).Should().OnlyContain(e => e == "past-2025");
    }

    [Fact]
    public async Task Retraining_the_recommender_runs_as_a_job()
    {
        var response = await Client.PostAsync("/api/recommender/training", null);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var job = await WaitForJobAsync(Client, (await Json(response)).GetProperty("jobId").GetString()!);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        job.GetProperty("report").GetProperty("smes").GetInt32().Should().BeGreaterThan(100);

        // The new model reaches the scored event through a (debounced) rescoring.
        var modelId = job.GetProperty("report").GetProperty("id").GetInt64();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var d = await Client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/scores/distribution");
            if (d.GetProperty("modelId").GetInt64() == modelId) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the event was not rescored with the new model");
            await Task.Delay(100);
        }
    }
}
