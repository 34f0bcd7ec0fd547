using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Matchmaker.Api.Tests.Events;

public class EventsApiTests
{
    [Fact]
    public async Task An_empty_store_lists_no_events()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();

        var events = await client.GetFromJsonAsync<JsonElement>("/api/events");

        events.GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("/api/events/nope")]
    [InlineData("/api/events/nope/buyers")]
    [InlineData("/api/events/nope/smes")]
    [InlineData("/api/events/nope/slots")]
    [InlineData("/api/jobs/nope")]
    public async Task Unknown_ids_get_a_problem_naming_the_field(string url)
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();

        var response = await client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("field").GetString().Should().BeOneOf("eventId", "jobId");
        problem.GetProperty("detail").GetString().Should().Contain("nope");
    }
}
