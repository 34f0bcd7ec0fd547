using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Matchmaker.Api.Tests.Itineraries;
using Matchmaker.Core.Reference;

namespace Matchmaker.Api.Tests.Reports;

[Collection(PublishedExpoCollection.Name)]
public class ReportsApiTests(PublishedExpo expo)
{
    /// <summary>A sample CSV of past-2025 as copied beside the tests, one dictionary per row.</summary>
    static List<Dictionary<string, string>> Sample(string file)
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "samples", "past-2025", file), Encoding.UTF8);
        var records = SimpleCsv.Read(reader).Where(r => !(r.Length == 1 && r[0].Length == 0)).ToList();
        return records.Skip(1).Select(r => records[0].Select((h, i) => (h, v: i < r.Length ? r[i] : "")).ToDictionary(x => x.h, x => x.v)).ToList();
    }

    static Dictionary<string, int> Counts(JsonElement list) =>
        list.EnumerateArray().ToDictionary(x => x.GetProperty("key").GetString()!, x => x.GetProperty("count").GetInt32());

    static Dictionary<int, int> Histogram(JsonElement list) =>
        list.EnumerateArray().ToDictionary(x => x.GetProperty("meetings").GetInt32(), x => x.GetProperty("smes").GetInt32());

    [Fact]
    public async Task The_report_of_a_past_event_matches_the_figures_counted_from_its_sample_files()
    {
        // An analyst of the past event: since issue 10 an analyst token reads only the event it was issued for.
        using var analyst = expo.Host.CreateClientWithToken(expo.PastEventAnalystToken);
        var report = await analyst.GetFromJsonAsync<JsonElement>("/api/events/past-2025/report");
        var figures = report.GetProperty("figures");
        report.GetProperty("publishedVersion").ValueKind.Should().Be(JsonValueKind.Null, "a past event's meetings are its recorded history");

        var requests = Sample("requests.csv");
        var meetings = Sample("meetings.csv");
        var smes = Sample("smes.csv");
        var buyers = Sample("buyers.csv");
        var held = meetings.Where(m => m["status"] == "held").ToList();

        // Requests
        var byState = Counts(figures.GetProperty("requests").GetProperty("byState"));
        foreach (var state in new[] { "pending", "accepted", "declined", "withdrawn", "expired" })
            byState[state].Should().Be(requests.Count(r => r["state"] == state), state);
        figures.GetProperty("requests").GetProperty("total").GetInt32().Should().Be(requests.Count);
        double accepted = requests.Count(r => r["state"] == "accepted"), declined = requests.Count(r => r["state"] == "declined");
        figures.GetProperty("requests").GetProperty("acceptanceRate").GetDouble().Should().BeApproximately(accepted / (accepted + declined), 1e-9);

        // Meetings, ratings, follow-ups, contracts
        var m = figures.GetProperty("meetings");
        m.GetProperty("held").GetInt32().Should().Be(held.Count).And.Be(503, "the sample README's figure");
        m.GetProperty("noShow").GetInt32().Should().Be(meetings.Count(x => x["status"] == "no_show"));
        m.GetProperty("cancelled").GetInt32().Should().Be(meetings.Count(x => x["status"] == "cancelled"));
        m.GetProperty("planned").GetInt32().Should().Be(meetings.Count(x => x["status"] != "cancelled"));
        m.GetProperty("scheduled").GetInt32().Should().Be(0);
        var ratings = held.Where(x => x["rating"].Length > 0).Select(x => int.Parse(x["rating"], CultureInfo.InvariantCulture)).ToList();
        var distribution = Counts(figures.GetProperty("ratings").GetProperty("distribution"));
        for (var r = 1; r <= 5; r++) distribution[r.ToString(CultureInfo.InvariantCulture)].Should().Be(ratings.Count(x => x == r));
        figures.GetProperty("ratings").GetProperty("mean").GetDouble().Should().BeApproximately(ratings.Average(), 1e-9);
        var followUps = Counts(figures.GetProperty("followUps"));
        foreach (var kind in new[] { "none", "sample", "site_visit", "nda", "contract" })
            followUps[kind].Should().Be(held.Count(x => x["follow_up"] == kind), kind);
        var contracts = held.Where(x => x["follow_up"] == "contract").ToList();
        figures.GetProperty("contracts").GetProperty("count").GetInt32().Should().Be(contracts.Count).And.Be(33);
        figures.GetProperty("contracts").GetProperty("sumKrw").GetInt64().Should().Be(contracts.Sum(x => long.Parse(x["contract_krw"], CultureInfo.InvariantCulture)));

        // Per SME sector and per buyer sector
        var smeSector = smes.ToDictionary(s => s["business_number"], s => s["sector"]);
        var bySmeSector = figures.GetProperty("bySmeSector").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        bySmeSector.Keys.Should().BeEquivalentTo(smes.Select(s => s["sector"]).Distinct());
        foreach (var (sector, group) in bySmeSector)
        {
            var mine = meetings.Where(x => smeSector[x["business_number"]] == sector).ToList();
            group.GetProperty("participants").GetInt32().Should().Be(smes.Count(s => s["sector"] == sector));
            group.GetProperty("held").GetInt32().Should().Be(mine.Count(x => x["status"] == "held"), sector);
            group.GetProperty("noShows").GetInt32().Should().Be(mine.Count(x => x["status"] == "no_show"), sector);
            group.GetProperty("requests").GetInt32().Should().Be(requests.Count(r => smeSector[r["business_number"]] == sector), sector);
            group.GetProperty("contractKrw").GetInt64().Should().Be(mine.Where(x => x["status"] == "held" && x["follow_up"] == "contract")
                .Sum(x => long.Parse(x["contract_krw"], CultureInfo.InvariantCulture)), sector);
        }
        var buyerSector = buyers.ToDictionary(b => b["buyer_id"], b => b["sector"]);
        foreach (var group in figures.GetProperty("byBuyerSector").EnumerateArray())
        {
            var sector = group.GetProperty("key").GetString();
            group.GetProperty("meetings").GetInt32().Should().Be(meetings.Count(x => x["status"] != "cancelled" && buyerSector[x["buyer_id"]] == sector), sector);
        }

        // Per buyer
        var byBuyer = figures.GetProperty("byBuyer").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        byBuyer.Should().HaveCount(buyers.Count);
        var posco = byBuyer["POSCO"];
        posco.GetProperty("label").GetString().Should().Be("포스코");
        posco.GetProperty("held").GetInt32().Should().Be(held.Count(x => x["buyer_id"] == "POSCO"));
        posco.GetProperty("accepted").GetInt32().Should().Be(requests.Count(r => r["buyer_id"] == "POSCO" && r["state"] == "accepted"));
        var poscoRatings = held.Where(x => x["buyer_id"] == "POSCO" && x["rating"].Length > 0).Select(x => double.Parse(x["rating"], CultureInfo.InvariantCulture)).ToList();
        posco.GetProperty("meanRating").GetDouble().Should().BeApproximately(poscoRatings.Average(), 1e-9);

        // Fairness: every SME of the event, by number of meetings that were not cancelled.
        var perSme = smes.Select(s => meetings.Count(x => x["business_number"] == s["business_number"] && x["status"] != "cancelled")).ToList();
        var histogram = Histogram(figures.GetProperty("fairness").GetProperty("meetingsPerSme"));
        histogram.Keys.Should().BeEquivalentTo(Enumerable.Range(0, perSme.Max() + 1));
        foreach (var (n, count) in histogram) count.Should().Be(perSme.Count(x => x == n), "SMEs with {0} meetings", n);
        histogram.Values.Sum().Should().Be(smes.Count);
        var heldPerSme = smes.Select(s => held.Count(x => x["business_number"] == s["business_number"])).ToList();
        Histogram(figures.GetProperty("fairness").GetProperty("heldPerSme")).Should().BeEquivalentTo(
            Enumerable.Range(0, heldPerSme.Max() + 1).ToDictionary(n => n, n => heldPerSme.Count(x => x == n)));
        figures.GetProperty("fairness").GetProperty("belowMinimum").GetInt32().Should().Be(perSme.Count(x => x < 2));
    }

    [Fact]
    public async Task The_report_of_the_upcoming_event_counts_the_published_meetings_and_nothing_held_yet()
    {
        var report = await expo.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{PublishedExpo.EventId}/report");
        await using var connection = await expo.OpenAsync();
        var scheduled = (await connection.QueryAsync<long>("""
            SELECT m.sme_id FROM meetings m JOIN events e ON e.id = m.event_id WHERE e.event_id = @EventId AND m.status = 'scheduled'
            """, new { PublishedExpo.EventId })).ToList();
        var smes = await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM event_smes es JOIN events e ON e.id = es.event_id WHERE e.event_id = @EventId", new { PublishedExpo.EventId });

        report.GetProperty("publishedVersion").GetInt32().Should().Be(1);
        var figures = report.GetProperty("figures");
        figures.GetProperty("meetings").GetProperty("planned").GetInt32().Should().Be(scheduled.Count);
        figures.GetProperty("meetings").GetProperty("scheduled").GetInt32().Should().Be(scheduled.Count);
        figures.GetProperty("meetings").GetProperty("held").GetInt32().Should().Be(0);
        figures.GetProperty("meetings").GetProperty("showRate").ValueKind.Should().Be(JsonValueKind.Null);
        figures.GetProperty("ratings").GetProperty("mean").ValueKind.Should().Be(JsonValueKind.Null);
        var histogram = Histogram(figures.GetProperty("fairness").GetProperty("meetingsPerSme"));
        histogram.Values.Sum().Should().Be(smes);
        histogram.Sum(kv => kv.Key * kv.Value).Should().Be(scheduled.Count);
        histogram[0].Should().Be(smes - scheduled.Distinct().Count());
        figures.GetProperty("byBuyer").EnumerateArray().Sum(b => b.GetProperty("meetings").GetInt32()).Should().Be(scheduled.Count);
    }

    [Fact]
    public async Task The_report_is_for_organisers_and_analysts_not_participants()
    {
        using var analyst = expo.Host.CreateClientWithToken(expo.AnalystToken);
        (await analyst.GetAsync($"/api/events/{PublishedExpo.EventId}/report")).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var token in new[] { expo.SmeToken, expo.BuyerToken, expo.PastEventSmeToken })
        {
            using var client = expo.Host.CreateClientWithToken(token);
            (await client.GetAsync($"/api/events/{PublishedExpo.EventId}/report")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
        (await expo.Organiser.GetAsync("/api/events/no-such-event/report")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
