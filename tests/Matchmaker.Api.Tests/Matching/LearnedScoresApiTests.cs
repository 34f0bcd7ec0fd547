using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Matching;

/// <summary>A host of its own: these tests retrain and switch the expo to a learned profile.</summary>
public sealed class LearnedScoresHost : IAsyncLifetime
{
    public MatchmakerHost Host { get; } = new(loadSamples: true);
    public HttpClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = Host.CreateClient();
        Client.Timeout = TimeSpan.FromMinutes(3);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        Host.Dispose();
        return Task.CompletedTask;
    }
}

public class LearnedScoresApiTests(LearnedScoresHost host) : IClassFixture<LearnedScoresHost>
{
    HttpClient Client => host.Client;

    [Fact]
    public async Task Retraining_learns_the_pair_model_and_a_learned_profile_scores_cold_pairs_with_parts_that_add_up()
    {
        var training = await Client.PostAsync("/api/recommender/training", null);
        training.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var trained = await WaitForJobAsync(Client, (await training.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!, 180);
        trained.GetProperty("state").GetString().Should().Be("succeeded", trained.ToString());
        trained.ToString().Should().Contain("learned pair model").And.Contain("learned-lightgbm");

        var created = await Client.PostAsJsonAsync("/api/weight-profiles", new { name = "cold-learned", coldStart = "learned" });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var profile = await created.Content.ReadFromJsonAsync<JsonElement>();
        profile.GetProperty("coldStart").GetString().Should().Be("learned");
        var activated = await Client.PutAsJsonAsync("/api/events/busan-2026/weight-profile", new { profileId = profile.GetProperty("id").GetInt64() });
        activated.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var job = await WaitForJobAsync(Client, (await activated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!, 180);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());

        var buyers = await Client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/buyers");
        var newBuyer = buyers.EnumerateArray().First(b => b.GetProperty("buyerId").GetString() == "UPA"); // new in 2026: every pair is cold
        var cold = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/buyers/{newBuyer.GetProperty("id").GetInt64()}/matches?top=30");
        cold.GetProperty("pairModelId").GetInt64().Should().BePositive();
        foreach (var item in cold.GetProperty("items").EnumerateArray())
        {
            var x = item.GetProperty("explanation");
            x.GetProperty("scoredBy").GetString().Should().Be("learned-lightgbm");
            var terms = x.GetProperty("modelTerms").EnumerateArray().ToList();
            terms.Should().HaveCount(12);
            terms.Sum(t => t.GetProperty("contribution").GetDouble()).Should().BeApproximately(item.GetProperty("score").GetDouble(), 1e-9);
            terms.Select(t => t.GetProperty("key").GetString()).Should().Contain(["text", "industry", "buyer", "sme_region", "baseline"]);
            terms.Should().OnlyContain(t => t.GetProperty("labelKo").GetString()!.Length > 0 && t.GetProperty("labelEn").GetString()!.Length > 0);
            x.GetProperty("noteKo").GetString().Should().Contain("학습");
            x.GetProperty("components").EnumerateArray().Should().OnlyContain(c => c.GetProperty("contribution").GetDouble() == 0);
        }
        // Warm pairs keep the hybrid with the recommender, explained by the weights.
        var posco = buyers.EnumerateArray().First(b => b.GetProperty("buyerId").GetString() == "POSCO");
        var mixed = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/buyers/{posco.GetProperty("id").GetInt64()}/matches?top=200");
        var warm = mixed.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("explanation").GetProperty("scoredBy").GetString() == "weights").ToList();
        warm.Should().NotBeEmpty();
        foreach (var item in warm)
        {
            item.GetProperty("explanation").GetProperty("coldStart").GetBoolean().Should().BeFalse();
            item.GetProperty("explanation").GetProperty("components").EnumerateArray().Sum(c => c.GetProperty("contribution").GetDouble())
                .Should().BeApproximately(item.GetProperty("score").GetDouble(), 1e-9);
        }
        mixed.GetProperty("items").EnumerateArray().Should().Contain(i => i.GetProperty("explanation").GetProperty("scoredBy").GetString() == "learned-lightgbm");

        // Back to the default: cold pairs are scored by the hand weights again.
        var defaults = (await Client.GetFromJsonAsync<JsonElement>("/api/weight-profiles")).EnumerateArray().First(p => p.GetProperty("name").GetString() == "default");
        defaults.GetProperty("coldStart").GetString().Should().Be("weights");
        var back = await Client.PutAsJsonAsync("/api/events/busan-2026/weight-profile", new { profileId = defaults.GetProperty("id").GetInt64() });
        (await WaitForJobAsync(Client, (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!, 180))
            .GetProperty("state").GetString().Should().Be("succeeded");
        var again = await Client.GetFromJsonAsync<JsonElement>($"/api/events/busan-2026/buyers/{newBuyer.GetProperty("id").GetInt64()}/matches?top=5");
        again.GetProperty("items")[0].GetProperty("explanation").GetProperty("scoredBy").GetString().Should().Be("weights");
    }

    [Fact]
    public async Task A_profile_with_an_unknown_cold_start_scorer_is_refused()
    {
        var response = await Client.PostAsJsonAsync("/api/weight-profiles", new { name = "cold-magic", coldStart = "magic" });
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
