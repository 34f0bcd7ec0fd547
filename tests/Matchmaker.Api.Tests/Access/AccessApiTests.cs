using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Access;

public class AccessApiTests
{
    static async Task<(MatchmakerHost Host, HttpClient Organiser, string SmeToken, long TokenId)> EventWithSmeTokenAsync()
    {
        var host = new MatchmakerHost();
        var organiser = host.CreateClient();
        await CreateEventAsync(organiser);
        await ImportAsync(organiser, "busan-test", "smes", Encoding.UTF8.GetBytes(SmesCsv(2)));
        var smeId = (await organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/smes")).GetProperty("items")[0].GetProperty("id").GetInt64();
        var issued = await organiser.PostAsJsonAsync("/api/events/busan-test/tokens", new { role = "sme", smeId, label = "부산정밀 담당자" });
        issued.StatusCode.Should().Be(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        return (host, organiser, body.GetProperty("token").GetString()!, body.GetProperty("tokenId").GetInt64());
    }

    [Fact]
    public async Task Without_a_token_only_health_and_the_OpenAPI_document_answer()
    {
        using var host = new MatchmakerHost();
        using var anonymous = host.CreateClientWithToken(null);

        (await anonymous.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/api/events")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var forged = host.CreateClientWithToken("mm_not-a-token");
        (await forged.GetAsync("/api/events")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_SME_token_reads_the_event_but_cannot_do_an_organisers_work()
    {
        var (host, organiser, smeToken, _) = await EventWithSmeTokenAsync();
        using var _1 = host;
        using var sme = host.CreateClientWithToken(smeToken);

        (await sme.GetAsync("/api/events/busan-test")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await sme.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("role").GetString().Should().Be("sme");
        (await sme.PostAsJsonAsync("/api/events", new { eventId = "x", name = "x", days = Array.Empty<object>() })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await sme.PostAsync("/api/events/busan-test/imports", Upload(Encoding.UTF8.GetBytes(SmesCsv(1, 50)), "s.csv", "smes"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await sme.PostAsync("/api/events/busan-test/timetable", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await sme.PostAsJsonAsync("/api/events/busan-test/tokens", new { role = "sme", smeId = 1 })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await sme.GetAsync("/api/events/busan-test/tokens")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/smes")).GetProperty("total").GetInt32().Should().Be(2, "the refused import wrote nothing");
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once_and_tokens_are_never_listed_in_clear()
    {
        var (host, organiser, smeToken, tokenId) = await EventWithSmeTokenAsync();
        using var _1 = host;
        using var sme = host.CreateClientWithToken(smeToken);
        (await sme.GetAsync("/api/events")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await organiser.DeleteAsync($"/api/tokens/{tokenId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await sme.GetAsync("/api/events")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var listed = await organiser.GetStringAsync("/api/events/busan-test/tokens");
        listed.Should().NotContain(smeToken).And.Contain("revokedAt");
        (await organiser.DeleteAsync($"/api/tokens/{tokenId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("organiser", null, null, "role")]
    [InlineData("sme", null, null, "smeId")]
    [InlineData("buyer", null, 12345L, "buyerId")]
    public async Task Tokens_are_issued_only_for_participants_of_the_event(string role, long? smeId, long? buyerId, string field)
    {
        var (host, organiser, _, _) = await EventWithSmeTokenAsync();
        using var _1 = host;

        var response = await organiser.PostAsJsonAsync("/api/events/busan-test/tokens", new { role, smeId, buyerId });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be(field);
    }
}
