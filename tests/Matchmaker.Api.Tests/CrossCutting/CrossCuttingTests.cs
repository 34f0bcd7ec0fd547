using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Matchmaker.Api.Tests.Requests;

namespace Matchmaker.Api.Tests.CrossCutting;

public class CrossCuttingTests
{
    static HttpRequestMessage Post(string url, object body, string? key) =>
        new(HttpMethod.Post, url) { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } };

    [Fact]
    public async Task A_retried_POST_with_the_same_Idempotency_Key_creates_one_request_and_gets_the_same_answer()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/requests";

        var first = await sme.SendAsync(Post(url, new { buyerId = expo.Posco, pitch = "첫 요청" }, "retry-1"));
        var retry = await sme.SendAsync(Post(url, new { buyerId = expo.Posco, pitch = "첫 요청" }, "retry-1"));
        var reused = await sme.SendAsync(Post(url, new { buyerId = expo.Khnp, pitch = "다른 요청" }, "retry-1"));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        retry.Headers.Location.Should().Be(first.Headers.Location);
        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(1);
    }

    [Fact]
    public async Task Idempotency_keys_belong_to_one_caller()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var first = await expo.AsAsync("sme", expo.Smes[0]);
        using var second = await expo.AsAsync("sme", expo.Smes[1]);

        (await first.SendAsync(Post($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new { buyerId = expo.Posco }, "same-key"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await second.SendAsync(Post($"/api/events/busan-test/smes/{expo.Smes[1]}/requests", new { buyerId = expo.Posco }, "same-key"))).StatusCode.Should().Be(HttpStatusCode.Created);

        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(2);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_it_is_read()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        var huge = JsonSerializer.Serialize(new { buyerId = expo.Posco, pitch = new string('가', 600_000) });

        var response = await sme.PostAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new StringContent(huge, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(0);
    }

    [Fact]
    public async Task A_participant_over_its_rate_limit_gets_429_while_the_organiser_goes_on()
    {
        using var host = new MatchmakerHost(settings: new Dictionary<string, string> { ["Matchmaker:RateLimits:PerParticipantPerMinute"] = "3" });
        using var organiser = host.CreateClient();
        await ExpoFixtures.CreateEventAsync(organiser);
        await ExpoFixtures.ImportAsync(organiser, "busan-test", "smes", Encoding.UTF8.GetBytes(ExpoFixtures.SmesCsv(1)));
        var smeId = (await organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/smes")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var token = (await (await organiser.PostAsJsonAsync("/api/events/busan-test/tokens", new { role = "sme", smeId })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("token").GetString();
        using var sme = host.CreateClientWithToken(token);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await sme.GetAsync($"/api/events/busan-test/smes/{smeId}/requests")).StatusCode);

        statuses.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests);
        for (var i = 0; i < 5; i++) (await organiser.GetAsync($"/api/events/busan-test/smes/{smeId}/requests")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
