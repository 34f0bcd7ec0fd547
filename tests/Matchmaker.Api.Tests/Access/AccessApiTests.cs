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

    /// <summary>Issue 10 item 2: an SME token listed the SMEs and buyers of every event, with every SME's business number.</summary>
    [Fact]
    public async Task An_SME_token_reads_nothing_of_another_event_and_no_other_SMEs_business_number()
    {
        var (host, organiser, smeToken, _) = await EventWithSmeTokenAsync();
        using var _1 = host;
        await CreateEventAsync(organiser, "daegu-test");
        await ImportAsync(organiser, "daegu-test", "smes", Encoding.UTF8.GetBytes(SmesCsv(2, 300)));
        using var sme = host.CreateClientWithToken(smeToken);

        foreach (var url in new[] { "/api/events/daegu-test", "/api/events/daegu-test/smes", "/api/events/daegu-test/buyers", "/api/events/daegu-test/slots" })
        {
            var response = await sme.GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, url);
            (await response.Content.ReadAsStringAsync()).Should().NotContain(BusinessNumber(300), url);
        }
        (await sme.GetFromJsonAsync<JsonElement>("/api/events")).EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).Should().Equal("busan-test");
        var own = await sme.GetFromJsonAsync<JsonElement>("/api/events/busan-test/smes");
        own.GetProperty("total").GetInt32().Should().Be(1, "an SME sees no other SME of its event");
        (await sme.GetStringAsync("/api/events/busan-test/smes")).Should().NotContain(BusinessNumber(2));
    }

    /// <summary>Issue 10 item 4: one global organiser token; now organisers are accounts scoped to granted events.</summary>
    [Fact]
    public async Task An_organiser_account_works_only_in_its_granted_events_until_the_administrator_disables_it()
    {
        var (host, admin, _, _) = await EventWithSmeTokenAsync();
        using var _1 = host;
        await CreateEventAsync(admin, "daegu-test");
        // The holder's name is a shape check of the request record (the built-in validation), answered before the handler.
        var nameless = await admin.PostAsJsonAsync("/api/accounts", new { name = "  " });
        nameless.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await nameless.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("validation_failed");
        problem.GetProperty("field").GetString().Should().Be("name");
        problem.GetProperty("detail").GetString().Should().Be("Name the account's holder.");
        var account = await (await admin.PostAsJsonAsync("/api/accounts", new { name = "대구 주최자" })).Content.ReadFromJsonAsync<JsonElement>();
        var accountId = account.GetProperty("accountId").GetInt64();
        account.GetProperty("role").GetString().Should().Be("organiser");
        (await admin.PutAsync($"/api/accounts/{accountId}/events/daegu-test", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await admin.PutAsync($"/api/accounts/{accountId}/events/no-such-event", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.PutAsync("/api/accounts/999999/events/daegu-test", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var signIn = await (await admin.PostAsJsonAsync($"/api/accounts/{accountId}/tokens", new { label = "노트북" })).Content.ReadFromJsonAsync<JsonElement>();
        using var organiser = host.CreateClientWithToken(signIn.GetProperty("token").GetString());

        (await organiser.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("role").GetString().Should().Be("organiser");
        (await organiser.PutAsJsonAsync("/api/events/daegu-test/request-window", new { open = true })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await organiser.PutAsJsonAsync("/api/events/busan-test/request-window", new { open = true })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await organiser.PostAsJsonAsync("/api/events/busan-test/tokens", new { role = "analyst" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await organiser.GetAsync("/api/accounts")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/accounts");
        listed.EnumerateArray().Single().GetProperty("events").EnumerateArray().Select(e => e.GetString()).Should().Equal("daegu-test");
        listed.GetRawText().Should().NotContain(signIn.GetProperty("token").GetString(), "secrets are shown once");

        (await admin.DeleteAsync($"/api/accounts/{accountId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await organiser.GetAsync("/api/events")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a disabled account's tokens stop at once");

        // Paged, newest first, filtered by event; only the administrator reads it.
        var page1 = await admin.GetFromJsonAsync<JsonElement>("/api/audit?pageSize=2");
        page1.GetProperty("total").GetInt32().Should().BeGreaterThan(4);
        page1.GetProperty("items")[0].GetProperty("action").GetString().Should().Be("DisableAccount");
        var page2 = await admin.GetFromJsonAsync<JsonElement>("/api/audit?pageSize=2&page=2");
        page2.GetProperty("items")[0].GetProperty("id").GetInt64().Should().BeLessThan(page1.GetProperty("items")[1].GetProperty("id").GetInt64());
        var daegu = await admin.GetFromJsonAsync<JsonElement>("/api/audit?eventId=daegu-test");
        daegu.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).Should().Contain(["SetRequestWindow", "GrantEvent", "CreateEvent"]);
        daegu.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "SetRequestWindow").GetProperty("accountName").GetString()
            .Should().Be("대구 주최자");
        (await admin.GetAsync("/api/audit?pageSize=500")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
