using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Matchmaker.Api.Tests.Scenario.ExpoDayScenarioTests;

namespace Matchmaker.Api.Tests.Requests;

/// <summary>The free slots an SME is shown and the bookings a buyer makes follow the solver's availability rule.</summary>
public class AvailabilityRuleTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the organiser entered the walk one way only: it counts both ways (and the draft builds)
    public async Task Free_slots_shown_to_an_SME_leave_out_the_slots_next_to_its_meeting_in_a_hall_too_far_for_the_changeover_and_booking_one_is_refused(
        bool oneWay)
    {
        // Regression: the free slots (and bookings from the inbox) ignored the walk between halls that the timetable
        // optimiser enforces, so an SME was offered a slot right after its meeting in hall A at a buyer in hall B, 10
        // minutes away with a 5-minute changeover.
        await using var expo = await SmallExpo.StartAsync();
        (await expo.Organiser.PutAsJsonAsync("/api/events/busan-test", new
        {
            eventId = "busan-test", name = "부산 구매상담회 (test)", venue = "BEXCO", slotMinutes = 30, changeoverMinutes = 5,
            days = new[] { new { date = "2026-05-20", windows = new[] { new { start = "10:00", end = "12:00" }, new { start = "13:00", end = "17:00" } }, breaks = Array.Empty<object>() } },
            halls = new[] { "A", "B" },
            travelMinutes = oneWay ? new Dictionary<string, Dictionary<string, int>> { ["A"] = new() { ["B"] = 10 } }
                : new Dictionary<string, Dictionary<string, int>> { ["A"] = new() { ["A"] = 0, ["B"] = 10 }, ["B"] = new() { ["A"] = 10, ["B"] = 0 } },
        })).EnsureSuccessStatusCode();
        await expo.PublishTimetableAsync();
        var smeId = expo.Smes[0];
        using var sme = await expo.AsAsync("sme", smeId);
        using var khnp = await expo.AsAsync("buyer", expo.Khnp);
        // The SME meets 포스코 (hall A) in one slot; 한국수력원자력 sits in hall B.
        var slots = (await sme.GetFromJsonAsync<JsonElement>("/api/events/busan-test/slots")).EnumerateArray()
            .Select(s => (Code: s.GetProperty("code").GetString()!, Start: s.GetProperty("localStart").GetDateTime(), End: s.GetProperty("localEnd").GetDateTime())).ToList();
        var atPosco = await expo.ScalarAsync<string>("""
            SELECT s.code FROM meetings m JOIN slots s ON s.id = m.slot_id WHERE m.sme_id = @smeId AND m.buyer_id = @Posco AND m.status = 'scheduled'
            """, new { smeId, expo.Posco });
        var meeting = slots.Single(s => s.Code == atPosco);
        var tooClose = slots.Where(s => s.Code != atPosco && (s.Start >= meeting.End ? s.Start - meeting.End : meeting.Start - s.End) < TimeSpan.FromMinutes(10))
            .Select(s => s.Code).ToList();
        tooClose.Should().NotBeEmpty();

        var recommendations = await WaitForRecommendationsAsync(sme, smeId);
        var free = recommendations.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("buyerId").GetInt64() == expo.Khnp)
            .GetProperty("freeSlots").EnumerateArray().Select(f => f.GetProperty("code").GetString()!).ToList();
        free.Should().NotContain(atPosco).And.NotContain(tooClose, "a 5-minute changeover is too short for the 10-minute walk from hall A to hall B");
        free.Should().NotBeEmpty();

        var requestId = await expo.RequestAsync(sme, smeId, expo.Khnp);
        var inbox = await khnp.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/buyers/{expo.Khnp}/requests?state=pending");
        inbox.EnumerateArray().Single().GetProperty("freeSlots").EnumerateArray().Select(f => f.GetProperty("code").GetString())
            .Should().Equal(free, "the buyer is offered to book the slots the SME was shown");
        var refused = await khnp.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{requestId}/accept", new { slot = tooClose[0] });
        refused.StatusCode.Should().Be(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
        (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("slot");
        (await expo.ScalarAsync<string>("SELECT state FROM introduction_requests WHERE id = @requestId", new { requestId })).Should().Be("pending",
            "the refused booking took the acceptance with it");

        var booked = await khnp.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{requestId}/accept", new { slot = free[0] });
        booked.StatusCode.Should().Be(HttpStatusCode.OK, await booked.Content.ReadAsStringAsync());
        (await expo.ScalarAsync<string>("""
            SELECT s.code FROM meetings m JOIN slots s ON s.id = m.slot_id WHERE m.sme_id = @smeId AND m.buyer_id = @Khnp
            """, new { smeId, expo.Khnp })).Should().Be(free[0]);
    }
}
