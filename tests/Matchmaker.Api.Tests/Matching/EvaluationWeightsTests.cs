using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Matchmaker.Api.Tests.Matching;

public class EvaluationWeightsTests
{
    [Fact]
    public async Task An_analyst_tries_weights_without_saving_them_and_bad_weights_name_the_field()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var client = host.CreateClient();
        var profilesBefore = (await client.GetFromJsonAsync<JsonElement>("/api/weight-profiles")).GetArrayLength();

        var tried = await client.PostAsJsonAsync("/api/evaluations", new
        {
            eventIds = new[] { "past-2025" },
            weights = new[] { new { name = "text-heavy", weights = new { text = 0.6, industry = 0.1 } } },
            k = 10,
        });
        var bad = await client.PostAsJsonAsync("/api/evaluations", new
        {
            eventIds = new[] { "past-2025" },
            weights = new[] { new { name = "broken", weights = new { text = -1.0 } } },
        });

        tried.StatusCode.Should().Be(HttpStatusCode.OK, await tried.Content.ReadAsStringAsync());
        var rankings = (await tried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("ranking").GetString()).ToList();
        rankings.Should().Contain("text-heavy (unsaved)").And.Contain("popularity");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().StartWith("weights[0].");
        (await client.GetFromJsonAsync<JsonElement>("/api/weight-profiles")).GetArrayLength().Should().Be(profilesBefore, "trying weights saves nothing");
    }
}
