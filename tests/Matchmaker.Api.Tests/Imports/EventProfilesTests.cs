using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Matchmaker.Core.Matching;
using Microsoft.Data.Sqlite;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Imports;

/// <summary>
/// Issue 10 item 3 and issue 14 item 1: a company's identity (business number, buyer id) is shared by its events, its
/// profile (name, description, keywords, caps, availability, contact, language, opt-out) is each event's own.
/// </summary>
public class EventProfilesTests
{
    const string A = "event-a", B = "event-b";
    static readonly string Sme1 = BusinessNumber(1), Sme2 = BusinessNumber(2);

    static string Smes(string name, string description, string keywords, int cap, string unavailable, string email, string mobile,
        string language, string optOut) => $"""
        business_number,name,ksic_codes,description,keywords,meeting_cap,unavailable_slots,contact_name,email,mobile,language,opt_out
        {Sme1},{name},25921,{description},{keywords},{cap},{unavailable},김민수,{email},{mobile},{language},{optOut}
        {Sme2},㈜대한센서,28123,산업용 온도 센서,센서,4,,,,,,

        """;

    static string Buyers(string name, int cap, int tables, string hall, string email, string mobile, string language) => $"""
        구매기업ID,기업명,기업유형,업종,산업분류코드,지역,상담가능건수,테이블수,상담홀,담당자,이메일,휴대전화,언어,수신거부
        B-POSCO,{name},대기업,철강,24111,경북,{cap},{tables},{hall},이영성,{email},{mobile},{language},N

        """;

    static async Task ImportOkAsync(HttpClient client, string eventId, string kind, string csv)
    {
        var job = await ImportAsync(client, eventId, kind, Encoding.UTF8.GetBytes(csv), $"{kind}.csv");
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
    }

    /// <summary>Everything the event shows of its participants, to organisers and to the participants themselves.</summary>
    static async Task<string> WhatTheEventShowsAsync(HttpClient organiser, string eventId)
    {
        var smes = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/smes");
        var buyers = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/buyers");
        var shown = new StringBuilder().Append(smes).Append(buyers);
        foreach (var sme in smes.GetProperty("items").EnumerateArray())
            shown.Append(await organiser.GetStringAsync($"/api/events/{eventId}/smes/{sme.GetProperty("id").GetInt64()}/profile"));
        foreach (var buyer in buyers.EnumerateArray())
            shown.Append(await organiser.GetStringAsync($"/api/events/{eventId}/buyers/{buyer.GetProperty("id").GetInt64()}/profile"));
        return shown.ToString();
    }

    static async Task<JsonElement> SmeProfileAsync(HttpClient client, string eventId, long smeId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/smes/{smeId}/profile");

    static async Task<long> SmeIdAsync(HttpClient organiser, string eventId, string businessNumber) =>
        (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/smes")).GetProperty("items").EnumerateArray()
            .Single(s => s.GetProperty("businessNumber").GetString() == businessNumber).GetProperty("id").GetInt64();

    static async Task<long> BuyerIdAsync(HttpClient organiser, string eventId) =>
        (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/buyers")).EnumerateArray().Single().GetProperty("id").GetInt64();

    static async Task<HttpClient> AsAsync(MatchmakerHost host, HttpClient organiser, string eventId, string role, long id)
    {
        var issued = await organiser.PostAsJsonAsync($"/api/events/{eventId}/tokens",
            role == "sme" ? (object)new { role, smeId = id } : new { role, buyerId = id });
        issued.StatusCode.Should().Be(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
        return host.CreateClientWithToken((await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
    }

    static async Task<(MatchmakerHost Host, HttpClient Organiser)> EventAWithParticipantsAsync()
    {
        var host = new MatchmakerHost();
        var organiser = host.CreateClient();
        await CreateEventAsync(organiser, A);
        await CreateEventAsync(organiser, B);
        await ImportOkAsync(organiser, A, "buyers", Buyers("포스코", 10, 2, "A", "posco@example.kr", "010-1111-2222", "ko"));
        await ImportOkAsync(organiser, A, "smes", Smes("㈜부산정밀", "사출금형 및 프레스 금형", "금형;사출", 6, "", "minsu@busan.kr",
            "010-1234-5678", "ko", "N"));
        return (host, organiser);
    }

    [Fact]
    public async Task Importing_into_one_event_never_changes_what_another_event_shows()
    {
        var (host, organiser) = await EventAWithParticipantsAsync();
        using var _ = host;
        var shownByA = await WhatTheEventShowsAsync(organiser, A);

        // The same companies register for B under other names, with other texts, caps, availability and contacts.
        await ImportOkAsync(organiser, B, "buyers", Buyers("POSCO Holdings", 5, 1, "B", "global@posco.com", "+1 415 555 0100", "en"));
        await ImportOkAsync(organiser, B, "smes", Smes("부산정밀 주식회사", "레이저 용접 자동화", "용접;자동화", 3, "D1-02", "export@busan.kr",
            "01098765432", "영어", "Y"));

        (await WhatTheEventShowsAsync(organiser, A)).Should().Be(shownByA, "an import into B changes nothing event A shows");
        var smeInA = await SmeProfileAsync(organiser, A, await SmeIdAsync(organiser, A, Sme1));
        (smeInA.GetProperty("name").GetString(), smeInA.GetProperty("description").GetString(), smeInA.GetProperty("meetingCap").GetInt32())
            .Should().Be(("㈜부산정밀", "사출금형 및 프레스 금형", 6));
        var smeInB = await SmeProfileAsync(organiser, B, await SmeIdAsync(organiser, B, Sme1));
        (smeInB.GetProperty("name").GetString(), smeInB.GetProperty("description").GetString(), smeInB.GetProperty("meetingCap").GetInt32(),
                smeInB.GetProperty("unavailableSlots")[0].GetString(), smeInB.GetProperty("contact").GetProperty("email").GetString(),
                smeInB.GetProperty("contact").GetProperty("mobile").GetString(), smeInB.GetProperty("language").GetString(),
                smeInB.GetProperty("optedOut").GetBoolean())
            .Should().Be(("부산정밀 주식회사", "레이저 용접 자동화", 3, "D1-02", "export@busan.kr", "+821098765432", "en", true));
        var buyerInB = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{B}/buyers/{await BuyerIdAsync(organiser, B)}/profile");
        (buyerInB.GetProperty("name").GetString(), buyerInB.GetProperty("tables").GetInt32(), buyerInB.GetProperty("contact").GetProperty("mobile").GetString())
            .Should().Be(("POSCO Holdings", 1, "+14155550100"));

        // One identity across events: the recommender's history and the tokens hang on it.
        (await SmeIdAsync(organiser, B, Sme1)).Should().Be(await SmeIdAsync(organiser, A, Sme1));
        (await BuyerIdAsync(organiser, B)).Should().Be(await BuyerIdAsync(organiser, A));

        // Each event is scored with its own profile of the company.
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync();
        async Task<SmeDoc> ScoredAsync(string eventId) => (await ScoringData.LoadAsync(connection,
            await connection.ExecuteScalarAsync<long>("SELECT id FROM events WHERE event_id = @eventId", new { eventId }), [], null))
            .Smes.Single(s => s.Key == Sme1);
        (await ScoredAsync(A)).Keywords.Should().Equal("금형", "사출");
        (await ScoredAsync(B)).Keywords.Should().Equal("용접", "자동화");

        // Importing into A again (its own edit) leaves B as B registered it.
        var shownByB = await WhatTheEventShowsAsync(organiser, B);
        await ImportOkAsync(organiser, A, "smes", Smes("㈜부산정밀 (변경)", "사출금형", "금형", 7, "", "new@busan.kr", "", "ko", "N"));
        await ImportOkAsync(organiser, A, "buyers", Buyers("포스코(주)", 12, 2, "A", "posco@example.kr", "", "ko"));
        (await WhatTheEventShowsAsync(organiser, B)).Should().Be(shownByB, "an import into A changes nothing event B shows");
        (await WhatTheEventShowsAsync(organiser, A)).Should().Contain("㈜부산정밀 (변경)").And.Contain("포스코(주)");
    }

    [Fact]
    public async Task A_participant_changing_its_contact_in_one_event_changes_only_that_event()
    {
        var (host, organiser) = await EventAWithParticipantsAsync();
        using var _ = host;
        await ImportOkAsync(organiser, B, "smes", Smes("부산정밀 주식회사", "레이저 용접", "용접", 3, "", "export@busan.kr", "01098765432", "en", "N"));
        var smeId = await SmeIdAsync(organiser, A, Sme1);
        using var smeInB = await AsAsync(host, organiser, B, "sme", smeId);
        var shownByA = await WhatTheEventShowsAsync(organiser, A);

        var changed = await smeInB.PutAsJsonAsync($"/api/events/{B}/smes/{smeId}/contact",
            new { name = "박서연", email = "seoyeon@busan.kr", mobile = "010 5555 6666", language = "ko", optedOut = true });

        changed.StatusCode.Should().Be(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        var profile = await SmeProfileAsync(smeInB, B, smeId);
        (profile.GetProperty("contact").GetProperty("name").GetString(), profile.GetProperty("contact").GetProperty("mobile").GetString(),
            profile.GetProperty("language").GetString(), profile.GetProperty("optedOut").GetBoolean())
            .Should().Be(("박서연", "+821055556666", "ko", true));
        (await WhatTheEventShowsAsync(organiser, A)).Should().Be(shownByA);

        var bad = await smeInB.PutAsJsonAsync($"/api/events/{B}/smes/{smeId}/contact", new { email = "seoyeon.busan.kr", mobile = "051-123-4567", language = "jp" });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo(["email", "mobile", "language"]);
        (await SmeProfileAsync(smeInB, B, smeId)).GetProperty("contact").GetProperty("email").GetString().Should().Be("seoyeon@busan.kr", "a refused change writes nothing");
    }

    [Fact]
    public async Task Contacts_are_shown_to_the_participant_itself_and_organisers_only()
    {
        var (host, organiser) = await EventAWithParticipantsAsync();
        using var _ = host;
        var (owner, other, buyer) = (await SmeIdAsync(organiser, A, Sme1), await SmeIdAsync(organiser, A, Sme2), await BuyerIdAsync(organiser, A));
        using var ownerSme = await AsAsync(host, organiser, A, "sme", owner);
        using var otherSme = await AsAsync(host, organiser, A, "sme", other);
        using var posco = await AsAsync(host, organiser, A, "buyer", buyer);
        var analystToken = (await (await organiser.PostAsJsonAsync($"/api/events/{A}/tokens", new { role = "analyst" })).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var analyst = host.CreateClientWithToken(analystToken);

        (await SmeProfileAsync(ownerSme, A, owner)).GetProperty("contact").GetProperty("email").GetString().Should().Be("minsu@busan.kr");
        (await SmeProfileAsync(organiser, A, owner)).GetProperty("contact").GetProperty("mobile").GetString().Should().Be("+821012345678");
        (await posco.GetFromJsonAsync<JsonElement>($"/api/events/{A}/buyers/{buyer}/profile")).GetProperty("contact").GetProperty("email")
            .GetString().Should().Be("posco@example.kr");

        foreach (var (who, client, url) in new[]
        {
            ("other SME", otherSme, $"/api/events/{A}/smes/{owner}/profile"),
            ("buyer", posco, $"/api/events/{A}/smes/{owner}/profile"),
            ("analyst", analyst, $"/api/events/{A}/smes/{owner}/profile"),
            ("SME", ownerSme, $"/api/events/{A}/buyers/{buyer}/profile"),
            ("analyst", analyst, $"/api/events/{A}/buyers/{buyer}/profile"),
        })
        {
            var response = await client.GetAsync(url);
            response.StatusCode.Should().BeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], $"{who}: {url}");
            (await response.Content.ReadAsStringAsync()).Should().NotContain("@", $"{who}: {url} leaks an address");
        }
        foreach (var (who, client, url) in new[]
        {
            ("other SME", otherSme, $"/api/events/{A}/smes/{owner}/contact"),
            ("buyer", posco, $"/api/events/{A}/smes/{owner}/contact"),
            ("analyst", analyst, $"/api/events/{A}/buyers/{buyer}/contact"),
        })
        {
            var response = await client.PutAsJsonAsync(url, new { email = "attacker@example.com" });
            response.StatusCode.Should().BeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], $"{who}: PUT {url}");
        }
        (await SmeProfileAsync(organiser, A, owner)).GetProperty("contact").GetProperty("email").GetString().Should().Be("minsu@busan.kr");

        // Organisers read everyone's contact for the event in one list; participants and analysts are refused it.
        var contacts = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{A}/contacts");
        contacts.EnumerateArray().Select(c => (c.GetProperty("kind").GetString(), c.GetProperty("id").GetInt64(),
                c.GetProperty("contact").GetProperty("email").GetString()))
            .Should().Equal(("buyer", buyer, "posco@example.kr"), ("sme", other, null), ("sme", owner, "minsu@busan.kr"));
        foreach (var client in new[] { ownerSme, posco, analyst })
            (await client.GetAsync($"/api/events/{A}/contacts")).StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);

        // The lists every participant of the event reads carry no contact data.
        var lists = await otherSme.GetStringAsync($"/api/events/{A}/smes") + await otherSme.GetStringAsync($"/api/events/{A}/buyers");
        lists.Should().NotContain("minsu@busan.kr").And.NotContain("posco@example.kr").And.NotContain("+8210");
    }
}
