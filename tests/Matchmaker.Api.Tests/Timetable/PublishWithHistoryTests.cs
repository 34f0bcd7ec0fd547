using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Matchmaker.Api.Tests.Itineraries;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests.Timetable;

/// <summary>
/// Issue 10, item 1: publishing a version once meetings have been recorded (held, no-show) reconciles the version with
/// that history instead of failing on the store's unique indexes.
/// </summary>
public class PublishWithHistoryTests
{
    const string E = "busan-2026";

    static async Task<string> BuildDraftAsync(HttpClient organiser, string eventId)
    {
        var build = await organiser.PostAsync($"/api/events/{eventId}/timetable", null);
        build.StatusCode.Should().Be(HttpStatusCode.Accepted, await build.Content.ReadAsStringAsync());
        var jobId = (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        var job = await ExpoFixtures.WaitForJobAsync(organiser, jobId);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        return jobId;
    }

    static async Task<string> HistoryAsync(System.Data.Common.DbConnection connection, string eventId) => await connection.ExecuteScalarAsync<string>("""
        SELECT COALESCE(string_agg(m.id || ':' || m.status || ':' || m.slot_id || ':' || m.table_no, ','), '')
        FROM (SELECT m.id, m.status, m.slot_id, m.table_no FROM meetings m JOIN events e ON e.id = m.event_id
              WHERE e.event_id = @eventId AND m.status IN ('held', 'no_show') ORDER BY m.id) m
        """, new { eventId }) ?? "";

    [Fact]
    public async Task Publish_of_a_repair_after_an_outcome_keeps_the_held_meeting_and_cancels_the_rest_in_the_calendar()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var organiser = host.CreateClient();
        await BuildDraftAsync(organiser, E);
        (await organiser.PostAsync($"/api/events/{E}/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await using var connection = await host.OpenStoreAsync();
        // An SME whose first meeting is in the first slot, with more to come: that first one is held, then it cancels.
        var (sme, heldId) = await connection.QueryFirstAsync<(long Sme, long Meeting)>("""
            SELECT m.sme_id, m.id FROM meetings m JOIN events e ON e.id = m.event_id JOIN slots s ON s.id = m.slot_id
            WHERE e.event_id = @E AND m.status = 'scheduled'
              AND s.local_start = (SELECT MIN(local_start) FROM slots WHERE event_id = e.id)
              AND (SELECT COUNT(*) FROM meetings o WHERE o.sme_id = m.sme_id AND o.event_id = m.event_id AND o.status = 'scheduled') >= 3
            ORDER BY m.sme_id LIMIT 1
            """, new { E });
        var outcome = await organiser.PostAsJsonAsync($"/api/events/{E}/meetings/{heldId}/outcome", new { status = "held", rating = 4 });
        outcome.StatusCode.Should().Be(HttpStatusCode.OK, await outcome.Content.ReadAsStringAsync());
        var before = (await IcsParser.ParseAsync(await organiser.GetByteArrayAsync($"/api/events/{E}/smes/{sme}/itinerary.ics")))
            .GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("uid").GetString()!, e => e.GetProperty("sequence").GetInt64());
        var history = await HistoryAsync(connection, E);

        var repair = await organiser.PostAsJsonAsync($"/api/events/{E}/timetable/repairs", new { changes = new[] { new { kind = "cancel", smeId = sme } } });
        repair.StatusCode.Should().Be(HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        var publish = await organiser.PostAsync($"/api/events/{E}/timetable/publish", null);
        publish.StatusCode.Should().Be(HttpStatusCode.OK, await publish.Content.ReadAsStringAsync());

        (await HistoryAsync(connection, E)).Should().Be(history, "recorded meetings are history: never moved, re-inserted or deleted");
        var after = (await IcsParser.ParseAsync(await organiser.GetByteArrayAsync($"/api/events/{E}/smes/{sme}/itinerary.ics")))
            .GetProperty("events").EnumerateArray().ToList();
        var heldUid = $"meeting-{heldId}@{E}.matchmaker";
        after.Select(e => e.GetProperty("uid").GetString()).Should().BeEquivalentTo(before.Keys);
        foreach (var entry in after.Where(e => e.GetProperty("uid").GetString() != heldUid))
        {
            entry.GetProperty("status").GetString().Should().Be("CANCELLED");
            entry.GetProperty("sequence").GetInt64().Should().BeGreaterThan(before[entry.GetProperty("uid").GetString()!]);
        }
        after.Single(e => e.GetProperty("uid").GetString() == heldUid).GetProperty("status").GetString().Should().NotBe("CANCELLED");
    }

    [Fact]
    public async Task Publish_of_a_new_draft_for_a_past_event_with_recorded_meetings_keeps_that_history()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var organiser = host.CreateClient();
        await using var connection = await host.OpenStoreAsync();
        const string past = "past-2025";
        var history = await HistoryAsync(connection, past);
        history.Should().NotBeEmpty("the sample's past event has recorded outcomes");

        await BuildDraftAsync(organiser, past);
        var publish = await organiser.PostAsync($"/api/events/{past}/timetable/publish", null);
        publish.StatusCode.Should().Be(HttpStatusCode.OK, await publish.Content.ReadAsStringAsync());
        (await HistoryAsync(connection, past)).Should().Be(history);
        // Nobody is double-booked beside the history (the store's indexes would refuse it; this reads it back).
        (await connection.ExecuteScalarAsync<long>("""
            SELECT COUNT(*) FROM (SELECT slot_id, sme_id FROM meetings m JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @past AND status <> 'cancelled' GROUP BY slot_id, sme_id HAVING COUNT(*) > 1)
            """, new { past })).Should().Be(0);
    }
}

/// <summary>
/// Property: whatever sequence of repairs, outcomes, drafts and publishes an organiser runs, no answer is a 500, nobody is
/// double-booked, and recorded meetings never change.
/// </summary>
public class PublishNeverFailsPropertyTests
{
    const string E = "busan-2026";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Random_repairs_with_outcomes_in_between_never_answer_500(int seed)
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var organiser = host.CreateClient();
        var expo = (Host: host, Organiser: organiser);
        (await ExpoFixtures.WaitForJobAsync(organiser, (await (await organiser.PostAsync($"/api/events/{E}/timetable", null)).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!)).GetProperty("state").GetString().Should().Be("succeeded");
        (await organiser.PostAsync($"/api/events/{E}/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var random = new Random(seed);
        const string OfEvent = "(SELECT id FROM events WHERE event_id = 'busan-2026')";
        var slots = (await QueryAsync<string>(expo, $"SELECT code FROM slots WHERE event_id = {OfEvent} ORDER BY local_start")).ToList();
        var smes = (await QueryAsync<long>(expo, $"SELECT sme_id FROM event_smes WHERE event_id = {OfEvent} ORDER BY sme_id")).ToList();
        var buyers = (await QueryAsync<long>(expo, $"SELECT buyer_id FROM event_buyers WHERE event_id = {OfEvent} ORDER BY buyer_id")).ToList();
        var history = new Dictionary<long, string>();
        var log = new List<string>();
        for (var step = 0; step < 20; step++)
        {
            var scheduled = (await QueryAsync<(long Id, long Sme, string Slot)>(expo, $"""
                SELECT m.id, m.sme_id, s.code FROM meetings m JOIN slots s ON s.id = m.slot_id WHERE m.status = 'scheduled' AND m.event_id = {OfEvent} ORDER BY s.local_start, m.id
                """)).ToList();
            HttpResponseMessage response;
            switch (random.Next(5))
            {
                case 0 or 1 when scheduled.Count > 0:
                    // Outcomes come in roughly in time order: one of the earliest meetings still scheduled.
                    var meeting = scheduled[random.Next(Math.Min(4, scheduled.Count))];
                    var status = random.Next(3) == 0 ? "no_show" : "held";
                    response = await expo.Organiser.PostAsJsonAsync($"/api/events/{E}/meetings/{meeting.Id}/outcome",
                        status == "held" ? new { status, rating = (int?)(1 + random.Next(5)) } : new { status, rating = (int?)null });
                    log.Add($"outcome {status} for {meeting.Id}: {(int)response.StatusCode}");
                    break;
                case 2:
                    // Mostly an SME with a recorded meeting: the case that reconciles history.
                    var withHistory = (await QueryAsync<long>(expo, $"SELECT DISTINCT sme_id FROM meetings WHERE status IN ('held', 'no_show') AND event_id = {OfEvent} ORDER BY sme_id")).ToList();
                    var sme = withHistory.Count > 0 && random.Next(4) > 0 ? withHistory[random.Next(withHistory.Count)] : smes[random.Next(smes.Count)];
                    object change = random.Next(3) switch
                    {
                        0 => new { kind = "cancel", smeId = (long?)sme, buyerId = (long?)null, slot = (string?)null },
                        1 => new { kind = "no_show", smeId = (long?)sme, buyerId = (long?)null, slot = (string?)slots[random.Next(slots.Count)] },
                        _ => new { kind = "cancel", smeId = (long?)null, buyerId = (long?)buyers[random.Next(buyers.Count)], slot = (string?)null },
                    };
                    response = await expo.Organiser.PostAsJsonAsync($"/api/events/{E}/timetable/repairs", new { changes = new[] { change } });
                    log.Add($"repair {System.Text.Json.JsonSerializer.Serialize(change)}: {(int)response.StatusCode}");
                    if (response.IsSuccessStatusCode) goto case 4;
                    break;
                case 3:
                    response = await expo.Organiser.PostAsync($"/api/events/{E}/timetable", null);
                    log.Add($"draft: {(int)response.StatusCode}");
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        var job = await ExpoFixtures.WaitForJobAsync(expo.Organiser,
                            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!);
                        log.Add($"draft job {job.GetProperty("state").GetString()}: {job.GetProperty("message").GetString()}");
                    }
                    goto case 4;
                case 4:
                    response = await expo.Organiser.PostAsync($"/api/events/{E}/timetable/publish", null);
                    log.Add($"publish: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    break;
                default:
                    continue;
            }
            ((int)response.StatusCode).Should().BeLessThan(500, string.Join("\n", log));

            var recorded = await QueryAsync<(long Id, string Row)>(expo,
                "SELECT id, status || ':' || slot_id || ':' || table_no || ':' || sme_id || ':' || buyer_id FROM meetings WHERE status IN ('held', 'no_show')");
            foreach (var (id, row) in recorded)
            {
                if (history.TryGetValue(id, out var was)) row.Should().Be(was, $"recorded meeting {id} is history\n{string.Join("\n", log)}");
                history[id] = row;
            }
            history.Keys.Should().BeSubsetOf(recorded.Select(r => r.Id), "no recorded meeting is deleted or cancelled");
            (await QueryAsync<long>(expo, """
                SELECT COUNT(*) FROM (SELECT 1 FROM meetings WHERE status <> 'cancelled' GROUP BY slot_id, sme_id HAVING COUNT(*) > 1
                UNION ALL SELECT 1 FROM meetings WHERE status <> 'cancelled' GROUP BY slot_id, buyer_id, table_no HAVING COUNT(*) > 1)
                """)).Single().Should().Be(0);
        }
        log.Should().Contain(l => l.StartsWith("publish: 200"), "the sequence published something");
    }

    static async Task<IEnumerable<T>> QueryAsync<T>((MatchmakerHost Host, HttpClient Organiser) expo, string sql)
    {
        await using var connection = await expo.Host.OpenStoreAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }
}
