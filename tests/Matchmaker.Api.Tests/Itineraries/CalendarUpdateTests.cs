using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests.Itineraries;

public class CalendarUpdateTests
{
    const string E = "busan-2026";

    static async Task<Dictionary<string, JsonElement>> CalendarAsync(HttpClient client, long smeId)
    {
        var calendar = await IcsParser.ParseAsync(await client.GetByteArrayAsync($"/api/events/{E}/smes/{smeId}/itinerary.ics"));
        var events = calendar.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("uid").GetString()).Should().OnlyHaveUniqueItems("a meeting is one calendar entry, never two");
        return events.ToDictionary(e => e.GetProperty("uid").GetString()!);
    }

    static async Task PublishLatestAsync(HttpClient organiser) =>
        (await organiser.PostAsync($"/api/events/{E}/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);

    [Fact]
    public async Task Republished_timetables_update_calendars_moved_meetings_keep_their_UID_and_cancelled_ones_stay_cancelled_with_a_higher_SEQUENCE()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var organiser = host.CreateClient();
        var build = await organiser.PostAsync($"/api/events/{E}/timetable", null);
        var jobId = (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        (await ExpoFixtures.WaitForJobAsync(organiser, jobId)).GetProperty("state").GetString().Should().Be("succeeded");
        await PublishLatestAsync(organiser);

        await using var connection = await host.OpenStoreAsync();
        var live = (await connection.QueryAsync<(long Id, long Sme, long Buyer, string Slot, long Table)>("""
            SELECT m.id, m.sme_id, m.buyer_id, s.code, m.table_no FROM meetings m JOIN slots s ON s.id = m.slot_id
            JOIN events e ON e.id = m.event_id WHERE e.event_id = @E AND m.status = 'scheduled' ORDER BY m.id
            """, new { E })).ToList();
        var slots = (await connection.QueryAsync<string>(
            "SELECT s.code FROM slots s JOIN events e ON e.id = s.event_id WHERE e.event_id = @E ORDER BY s.local_start", new { E })).ToList();
        var bySme = live.GroupBy(m => m.Sme).Where(g => g.Count() >= 2).OrderBy(g => g.Key).ToList();
        var (cancelledSme, movedSme) = (bySme[0].Key, bySme[1].Key);

        // Move one of an SME's meetings to a slot where the SME and that table are free (the published version is the latest).
        var grid = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{E}/timetable");
        var toMove = grid.GetProperty("meetings").EnumerateArray().First(m => m.GetProperty("smeId").GetInt64() == movedSme);
        var liveToMove = live.Single(m => m.Sme == movedSme && m.Buyer == toMove.GetProperty("buyerId").GetInt64());
        var before = await CalendarAsync(organiser, movedSme);
        var uid = $"meeting-{liveToMove.Id}@{E}.matchmaker";
        before[uid].GetProperty("sequence").GetInt64().Should().Be(0);
        string? movedTo = null;
        foreach (var slot in slots.Where(s => !live.Any(m => m.Slot == s && (m.Sme == movedSme || (m.Buyer == liveToMove.Buyer && m.Table == liveToMove.Table)))))
        {
            var response = await organiser.PutAsJsonAsync($"/api/events/{E}/timetable/meetings/{toMove.GetProperty("meetingId").GetInt64()}/lock",
                new { locked = true, slot, table = liveToMove.Table });
            if (response.StatusCode == HttpStatusCode.OK) { movedTo = slot; break; }
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "only availability may refuse a free place");
        }
        movedTo.Should().NotBeNull("some free slot takes the meeting");
        var newStart = await connection.ExecuteScalarAsync<string>(
            "SELECT s.starts_at FROM slots s JOIN events e ON e.id = s.event_id WHERE e.event_id = @E AND s.code = @movedTo", new { E, movedTo });

        var after = await CalendarAsync(organiser, movedSme);
        after.Keys.Should().BeEquivalentTo(before.Keys, "the moved meeting updates its entry instead of adding one");
        after[uid].GetProperty("sequence").GetInt64().Should().BeGreaterThan(before[uid].GetProperty("sequence").GetInt64());
        after[uid].GetProperty("status").GetString().Should().Be("CONFIRMED");
        DateTimeOffset.Parse(after[uid].GetProperty("start").GetString()!).Should().Be(DateTimeOffset.Parse(newStart!));
        after[uid].GetProperty("start").GetString().Should().NotBe(before[uid].GetProperty("start").GetString());

        // On the day an SME cancels: repair and publish again.
        var cancelledBefore = await CalendarAsync(organiser, cancelledSme);
        cancelledBefore.Values.Should().OnlyContain(e => e.GetProperty("status").GetString() == "CONFIRMED");
        var repair = await organiser.PostAsJsonAsync($"/api/events/{E}/timetable/repairs", new { changes = new[] { new { kind = "cancel", smeId = cancelledSme } } });
        repair.StatusCode.Should().Be(HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        await PublishLatestAsync(organiser);

        var cancelledAfter = await CalendarAsync(organiser, cancelledSme);
        cancelledAfter.Keys.Should().BeEquivalentTo(cancelledBefore.Keys, "cancelled meetings stay in the feed under their UIDs");
        foreach (var (key, entry) in cancelledAfter)
        {
            entry.GetProperty("status").GetString().Should().Be("CANCELLED");
            entry.GetProperty("sequence").GetInt64().Should().BeGreaterThan(cancelledBefore[key].GetProperty("sequence").GetInt64());
        }
        var json = await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{E}/smes/{cancelledSme}/itinerary");
        json.GetProperty("meetings").EnumerateArray().Should().NotBeEmpty()
            .And.OnlyContain(m => m.GetProperty("status").GetString() == "cancelled");
        (await CalendarAsync(organiser, movedSme))[uid].GetProperty("sequence").GetInt64()
            .Should().Be(after[uid].GetProperty("sequence").GetInt64(), "a meeting the repair kept does not change");
    }
}
