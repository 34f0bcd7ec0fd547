using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;

namespace Matchmaker.Api.Tests.Itineraries;

[Collection(PublishedExpoCollection.Name)]
public class ItinerariesApiTests(PublishedExpo expo)
{
    const string E = PublishedExpo.EventId;

    sealed record LiveMeeting(long Id, long SmeId, long BuyerId, string BuyerCode, string BuyerName, string? Hall, string? DemandTitle,
        string Slot, string StartsAt, string EndsAt, long TableNo, string Status, long Sequence, double? Score);

    async Task<List<LiveMeeting>> LiveMeetingsAsync(string where, object parameters)
    {
        await using var connection = await expo.OpenAsync();
        return (await connection.QueryAsync<LiveMeeting>($"""
            SELECT m.id AS Id, m.sme_id AS SmeId, m.buyer_id AS BuyerId, b.buyer_id AS BuyerCode, eb.name AS BuyerName, eb.hall AS Hall,
                   d.title AS DemandTitle, sl.code AS Slot, sl.starts_at AS StartsAt, sl.ends_at AS EndsAt, m.table_no AS TableNo,
                   m.status AS Status, m.sequence AS Sequence, tm.score AS Score
            FROM meetings m JOIN events e ON e.id = m.event_id JOIN slots sl ON sl.id = m.slot_id JOIN buyers b ON b.id = m.buyer_id
            JOIN event_buyers eb ON eb.event_id = e.id AND eb.buyer_id = m.buyer_id
            LEFT JOIN demands d ON d.id = m.demand_id
            LEFT JOIN timetables t ON t.event_id = e.id AND t.status = 'published'
            LEFT JOIN timetable_meetings tm ON tm.timetable_id = t.id AND tm.sme_id = m.sme_id AND tm.buyer_id = m.buyer_id
            WHERE e.event_id = '{E}' AND {where}
            ORDER BY sl.starts_at, m.id
            """, parameters)).ToList();
    }

    public static TheoryData<string> SmeEndpoints => new() { "itinerary", "itinerary.html", "itinerary.ics" };
    public static TheoryData<string> BuyerEndpoints => new() { "agenda", "agenda.html", "agenda.ics" };

    [Theory]
    [MemberData(nameof(SmeEndpoints))]
    public async Task An_SME_schedule_is_served_to_that_SME_and_organisers_only(string endpoint)
    {
        var url = $"/api/events/{E}/smes/{expo.SmeId}/{endpoint}";
        async Task<HttpStatusCode> As(string? token, string? path = null)
        {
            using var client = expo.Host.CreateClientWithToken(token);
            return (await client.GetAsync(path ?? url)).StatusCode;
        }

        (await expo.Organiser.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await As(expo.SmeToken)).Should().Be(HttpStatusCode.OK);
        (await As(expo.OtherSmeToken)).Should().Be(HttpStatusCode.NotFound, "another SME of the same event");
        (await As(expo.OtherSmeToken, url + "?lang=fr")).Should().Be(HttpStatusCode.NotFound, "refused before the query is read");
        (await As(expo.PastEventSmeToken)).Should().Be(HttpStatusCode.NotFound, "the same firm, but its token is for another event");
        (await As(expo.BuyerToken)).Should().Be(HttpStatusCode.NotFound, "a buyer is the wrong role");
        (await As(expo.AnalystToken)).Should().Be(HttpStatusCode.NotFound, "analysts see reports, not schedules");
        (await As(null)).Should().Be(HttpStatusCode.Unauthorized);
        (await As(expo.OtherSmeToken, $"/api/events/{E}/smes/999999/{endpoint}")).Should().Be(HttpStatusCode.NotFound,
            "an unknown SME looks the same as somebody else's");
        (await As(null, $"/api/events/{E}/smes/{expo.SmeId}/{endpoint}?access_token={Uri.EscapeDataString(expo.SmeToken)}"))
            .Should().Be(HttpStatusCode.OK, "calendar apps pass the token in the query");
        (await expo.Organiser.GetAsync($"/api/events/{E}/smes/999999/{endpoint}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await expo.Organiser.GetAsync($"/api/events/no-such-event/smes/{expo.SmeId}/{endpoint}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(BuyerEndpoints))]
    public async Task A_buyer_agenda_is_served_to_that_buyer_and_organisers_only(string endpoint)
    {
        var url = $"/api/events/{E}/buyers/{expo.BuyerId}/{endpoint}";
        async Task<HttpStatusCode> As(string? token, string? path = null)
        {
            using var client = expo.Host.CreateClientWithToken(token);
            return (await client.GetAsync(path ?? url)).StatusCode;
        }

        (await expo.Organiser.GetAsync(url)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await As(expo.BuyerToken)).Should().Be(HttpStatusCode.OK);
        (await As(expo.OtherBuyerToken)).Should().Be(HttpStatusCode.NotFound, "another buyer of the same event");
        (await As(expo.OtherBuyerToken, url + "?lang=fr")).Should().Be(HttpStatusCode.NotFound, "refused before the query is read");
        (await As(expo.SmeToken)).Should().Be(HttpStatusCode.NotFound, "an SME is the wrong role");
        (await As(expo.PastEventSmeToken)).Should().Be(HttpStatusCode.NotFound);
        (await As(expo.AnalystToken)).Should().Be(HttpStatusCode.NotFound);
        (await As(null)).Should().Be(HttpStatusCode.Unauthorized);
        (await As(expo.OtherBuyerToken, $"/api/events/{E}/buyers/999999/{endpoint}")).Should().Be(HttpStatusCode.NotFound);
        (await expo.Organiser.GetAsync($"/api/events/{E}/buyers/999999/{endpoint}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_SME_itinerary_lists_its_live_meetings_in_time_order_with_buyer_hall_table_and_demand()
    {
        using var sme = expo.Host.CreateClientWithToken(expo.SmeToken);
        var itinerary = await sme.GetFromJsonAsync<JsonElement>($"/api/events/{E}/smes/{expo.SmeId}/itinerary");
        var expected = await LiveMeetingsAsync("m.sme_id = @SmeId", new { expo.SmeId });

        itinerary.GetProperty("smeId").GetInt64().Should().Be(expo.SmeId);
        itinerary.GetProperty("event").GetProperty("timeZone").GetString().Should().Be("Asia/Seoul");
        var meetings = itinerary.GetProperty("meetings").EnumerateArray().ToList();
        meetings.Select(m => m.GetProperty("meetingId").GetInt64()).Should().Equal(expected.Select(m => m.Id));
        expected.Should().HaveCountGreaterThanOrEqualTo(3);
        for (var i = 0; i < expected.Count; i++)
        {
            var (got, want) = (meetings[i], expected[i]);
            got.GetProperty("slot").GetString().Should().Be(want.Slot);
            got.GetProperty("start").GetDateTimeOffset().Should().Be(DateTimeOffset.Parse(want.StartsAt));
            got.GetProperty("localStart").GetString().Should().Be(DateTimeOffset.Parse(want.StartsAt).ToString("yyyy-MM-dd'T'HH:mm:ss"));
            got.GetProperty("table").GetInt64().Should().Be(want.TableNo);
            got.GetProperty("buyer").GetProperty("id").GetInt64().Should().Be(want.BuyerId);
            got.GetProperty("buyer").GetProperty("name").GetString().Should().Be(want.BuyerName);
            got.GetProperty("hall").GetString().Should().Be(want.Hall);
            (got.GetProperty("demand").ValueKind == JsonValueKind.Null ? null : got.GetProperty("demand").GetProperty("title").GetString())
                .Should().Be(want.DemandTitle);
            got.GetProperty("status").GetString().Should().Be("scheduled");
            got.GetProperty("sequence").GetInt64().Should().Be(want.Sequence);
        }
    }

    [Fact]
    public async Task A_buyer_agenda_groups_its_meetings_per_table_with_the_published_score()
    {
        using var buyer = expo.Host.CreateClientWithToken(expo.BuyerToken);
        var agenda = await buyer.GetFromJsonAsync<JsonElement>($"/api/events/{E}/buyers/{expo.BuyerId}/agenda");
        var expected = await LiveMeetingsAsync("m.buyer_id = @BuyerId", new { expo.BuyerId });

        var tables = agenda.GetProperty("tables").EnumerateArray().ToList();
        tables.Should().HaveCount(agenda.GetProperty("tableCount").GetInt32()).And.HaveCountGreaterThanOrEqualTo(2);
        foreach (var table in tables)
        {
            var number = table.GetProperty("table").GetInt32();
            var want = expected.Where(m => m.TableNo == number).ToList();
            var got = table.GetProperty("meetings").EnumerateArray().ToList();
            got.Select(m => m.GetProperty("meetingId").GetInt64()).Should().Equal(want.Select(m => m.Id), "table {0} in time order", number);
            got.Select(m => m.GetProperty("sme").GetProperty("id").GetInt64()).Should().Equal(want.Select(m => m.SmeId));
            got.Select(m => m.GetProperty("score").GetDouble()).Should().Equal(want.Select(m => m.Score!.Value));
        }
        tables.Sum(t => t.GetProperty("meetings").GetArrayLength()).Should().Be(expected.Count);
        expected.Should().OnlyContain(m => m.Score != null, "every published meeting has a score in its version");
    }

    [Fact]
    public async Task A_past_event_itinerary_shows_the_recorded_outcomes_and_its_cancelled_meetings_as_cancelled_in_the_calendar()
    {
        await using var connection = await expo.OpenAsync();
        var recorded = (await connection.QueryAsync<(long Id, long Sme, string Status)>("""
            SELECT m.id, m.sme_id, m.status FROM meetings m JOIN events e ON e.id = m.event_id JOIN slots sl ON sl.id = m.slot_id
            WHERE e.event_id = 'past-2025' ORDER BY sl.local_start, m.id
            """)).ToList();
        var mine = recorded.Where(m => m.Sme == expo.SmeId).ToList();
        mine.Should().NotBeEmpty();
        var withCancelled = recorded.First(m => m.Status == "cancelled").Sme;

        using var sme = expo.Host.CreateClientWithToken(expo.PastEventSmeToken);
        var itinerary = await sme.GetFromJsonAsync<JsonElement>($"/api/events/past-2025/smes/{expo.SmeId}/itinerary");
        itinerary.GetProperty("meetings").EnumerateArray().Select(m => (m.GetProperty("meetingId").GetInt64(), m.GetProperty("status").GetString()))
            .Should().BeEquivalentTo(mine.Select(m => (m.Id, m.Status)), "held and no-show as recorded");
        (await sme.GetAsync($"/api/events/{E}/smes/{expo.OtherSmeId}/itinerary")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var calendar = await IcsParser.ParseAsync(await expo.Organiser.GetByteArrayAsync($"/api/events/past-2025/smes/{withCancelled}/itinerary.ics"));
        var events = calendar.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("uid").GetString()!);
        foreach (var m in recorded.Where(m => m.Sme == withCancelled))
            events[$"meeting-{m.Id}@past-2025.matchmaker"].GetProperty("status").GetString().Should().Be(m.Status == "cancelled" ? "CANCELLED" : "CONFIRMED");
        var agenda = await expo.Organiser.GetFromJsonAsync<JsonElement>(
            $"/api/events/past-2025/buyers/{await connection.ExecuteScalarAsync<long>("SELECT id FROM buyers WHERE buyer_id = 'POSCO'")}/agenda");
        agenda.GetProperty("tables").EnumerateArray().SelectMany(t => t.GetProperty("meetings").EnumerateArray()).Should().NotBeEmpty()
            .And.OnlyContain(m => m.GetProperty("score").ValueKind == JsonValueKind.Null, "a past event has no published timetable to score from");
    }

    [Fact]
    public async Task The_printed_itinerary_is_one_A4_page_in_Korean_by_default_and_in_English_on_request()
    {
        var url = $"/api/events/{E}/smes/{expo.SmeId}/itinerary.html";
        var korean = await expo.Organiser.GetAsync(url);
        korean.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await korean.Content.ReadAsStringAsync();
        var meetings = await LiveMeetingsAsync("m.sme_id = @SmeId", new { expo.SmeId });

        html.Should().StartWith("<!DOCTYPE html>").And.Contain("<html lang=\"ko\">").And.Contain("@page { size: A4 portrait;");
        html.Should().Contain("상담 일정표").And.Contain("<th>구매기업</th>").And.Contain("5월 20일 (수)").And.NotContain("<th>Buyer</th>");
        foreach (var m in meetings) html.Should().Contain(m.BuyerName);
        html.Should().Contain(DateTimeOffset.Parse(meetings[0].StartsAt).ToString("HH:mm") + "–");

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9,ko;q=0.5");
        var english = await (await expo.Organiser.SendAsync(request)).Content.ReadAsStringAsync();
        english.Should().Contain("<html lang=\"en\">").And.Contain("<th>Buyer</th>").And.Contain("Meeting itinerary").And.Contain("Wed 20 May");

        (await expo.Organiser.GetStringAsync(url + "?lang=en")).Should().Contain("<th>Buyer</th>");
        var koreanFirst = new HttpRequestMessage(HttpMethod.Get, url);
        koreanFirst.Headers.AcceptLanguage.ParseAdd("ko-KR,ko;q=0.9,en;q=0.8");
        (await (await expo.Organiser.SendAsync(koreanFirst)).Content.ReadAsStringAsync()).Should().Contain("<th>구매기업</th>");
        var unknown = await expo.Organiser.GetAsync(url + "?lang=fr");
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("lang");
    }

    [Fact]
    public async Task The_printed_buyer_agenda_shows_every_slot_by_table_with_the_SMEs_and_scores()
    {
        using var buyer = expo.Host.CreateClientWithToken(expo.BuyerToken);
        var html = await buyer.GetStringAsync($"/api/events/{E}/buyers/{expo.BuyerId}/agenda.html");
        var meetings = await LiveMeetingsAsync("m.buyer_id = @BuyerId", new { expo.BuyerId });

        html.Should().Contain("구매상담 일정표").And.Contain("<th>테이블 1</th>").And.Contain("<th>테이블 2</th>").And.Contain("적합도");
        System.Text.RegularExpressions.Regex.Matches(html, "<td class=\"time\">").Count.Should().Be(27, "every slot of the three days is a row");
        await using var connection = await expo.OpenAsync();
        foreach (var m in meetings.Take(5))
        {
            var name = await connection.ExecuteScalarAsync<string>(
                "SELECT es.name FROM event_smes es JOIN events e ON e.id = es.event_id WHERE e.event_id = @E AND es.sme_id = @SmeId", new { E, m.SmeId });
            html.Should().Contain(name!.Replace("&", "&amp;"));
        }
    }

    [Fact]
    public async Task The_SME_calendar_parses_with_one_event_per_meeting_a_stable_UID_and_Seoul_times()
    {
        using var sme = expo.Host.CreateClientWithToken(expo.SmeToken);
        var response = await sme.GetAsync($"/api/events/{E}/smes/{expo.SmeId}/itinerary.ics");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/calendar");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var meetings = await LiveMeetingsAsync("m.sme_id = @SmeId", new { expo.SmeId });

        var lines = IcsParser.PhysicalLines(bytes);
        lines.Should().OnlyContain(l => l.Length <= 75, "content lines are folded at 75 octets");
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var line in lines) strict.Invoking(u => u.GetString(line)).Should().NotThrow("folding never splits a UTF-8 character");

        var calendar = await IcsParser.ParseAsync(bytes);
        calendar.GetProperty("calendar").GetProperty("VERSION").GetString().Should().Be("2.0");
        calendar.GetProperty("calendar").GetProperty("CALSCALE").GetString().Should().Be("GREGORIAN");
        calendar.GetProperty("calendar").GetProperty("METHOD").GetString().Should().Be("PUBLISH");
        calendar.GetProperty("calendar").GetProperty("PRODID").GetString().Should().StartWith("-//Matchmaker//");
        var zone = calendar.GetProperty("timezones").EnumerateArray().Single();
        zone.GetProperty("tzid").GetString().Should().Be("Asia/Seoul");
        // One STANDARD block (Korea's last change, in 1988, repeated yearly: +1000 to +0900), no daylight saving.
        var standard = zone.GetProperty("standard").EnumerateArray().Single();
        (standard.GetProperty("tzname").GetString(), standard.GetProperty("to").GetString()).Should().Be(("KST", "+0900"));
        zone.GetProperty("daylight").GetInt32().Should().Be(0);

        var events = calendar.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("uid").GetString()).Should().Equal(meetings.Select(m => $"meeting-{m.Id}@{E}.matchmaker"));
        for (var i = 0; i < meetings.Count; i++)
        {
            var (got, want) = (events[i], meetings[i]);
            got.GetProperty("tzid").GetString().Should().Be("Asia/Seoul");
            got.GetProperty("endTzid").GetString().Should().Be("Asia/Seoul");
            DateTimeOffset.Parse(got.GetProperty("start").GetString()!).Should().Be(DateTimeOffset.Parse(want.StartsAt));
            DateTimeOffset.Parse(got.GetProperty("end").GetString()!).Should().Be(DateTimeOffset.Parse(want.EndsAt));
            got.GetProperty("start").GetString().Should().EndWith("+09:00");
            got.GetProperty("sequence").GetInt64().Should().Be(want.Sequence);
            got.GetProperty("status").GetString().Should().Be("CONFIRMED");
            got.GetProperty("summary").GetString().Should().Be($"구매상담: {want.BuyerName}");
            got.GetProperty("location").GetString().Should().Be($"BEXCO 제1전시장, {want.Hall}홀, {want.BuyerName} 테이블 {want.TableNo}",
                "table numbers count per buyer, so the SME's calendar names the buyer");
            got.GetProperty("description").GetString().Should().Contain($"슬롯: {want.Slot}");
            DateTimeOffset.Parse(got.GetProperty("dtstamp").GetString()!).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            DateTimeOffset.Parse(got.GetProperty("lastModified").GetString()!).Should().BeBefore(DateTimeOffset.Parse(got.GetProperty("dtstamp").GetString()!).AddSeconds(1));
        }
    }

    [Fact]
    public async Task The_buyer_calendar_holds_every_table_s_meetings_under_the_same_UIDs_as_the_SME_calendars()
    {
        using var buyer = expo.Host.CreateClientWithToken(expo.BuyerToken);
        var bytes = await buyer.GetByteArrayAsync($"/api/events/{E}/buyers/{expo.BuyerId}/agenda.ics?lang=en");
        var meetings = await LiveMeetingsAsync("m.buyer_id = @BuyerId", new { expo.BuyerId });

        var calendar = await IcsParser.ParseAsync(bytes);
        var events = calendar.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("uid").GetString()).Should().BeEquivalentTo(meetings.Select(m => $"meeting-{m.Id}@{E}.matchmaker"));
        events.Should().OnlyContain(e => e.GetProperty("tzid").GetString() == "Asia/Seoul" && e.GetProperty("sequence").GetInt64() == 0);
        var first = meetings[0];
        var entry = events.Single(e => e.GetProperty("uid").GetString() == $"meeting-{first.Id}@{E}.matchmaker");
        entry.GetProperty("location").GetString().Should().Be($"BEXCO 제1전시장, Hall {first.Hall}, Table {first.TableNo}");
        entry.GetProperty("summary").GetString().Should().StartWith("Consultation: ").And.EndWith($"(Table {first.TableNo})");
        entry.GetProperty("description").GetString().Should().Contain($"Fit: {first.Score!.Value:0.00}").And.Contain("\n");
    }
}
