using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Matchmaker.Api.Tests.Itineraries;
using Matchmaker.Api.Tests.Requests;

namespace Matchmaker.Api.Tests.Scenario;

/// <summary>The issue's end-to-end day, over HTTP against the real host and store.</summary>
public class ExpoDayScenarioTests
{
    internal static async Task<JsonElement> WaitForRecommendationsAsync(HttpClient sme, long smeId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await sme.GetAsync($"/api/events/busan-test/smes/{smeId}/recommendations?top=5");
            if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadFromJsonAsync<JsonElement>();
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, "only 'not scored yet' may come before the scores");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the import's rescoring never finished");
            await Task.Delay(100);
        }
    }

    static async Task<Dictionary<string, JsonElement>> CalendarAsync(HttpClient sme, long smeId) =>
        (await IcsParser.ParseAsync(await sme.GetByteArrayAsync($"/api/events/busan-test/smes/{smeId}/itinerary.ics")))
            .GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("uid").GetString()!);

    [Fact]
    public async Task From_import_to_a_repaired_day_the_SMEs_calendar_changes_exactly_where_the_day_did()
    {
        // Organiser imports (in SmallExpo) and opens requests; the imports queue the event's scoring.
        await using var expo = await SmallExpo.StartAsync(smes: 4);
        var smeId = expo.Smes[0];
        using var sme = await expo.AsAsync("sme", smeId);
        using var khnp = await expo.AsAsync("buyer", expo.Khnp);

        // The SME gets recommendations, with the slots both sides have free, and requests the buyer it wants.
        var recommendations = await WaitForRecommendationsAsync(sme, smeId);
        var khnpRecommendation = recommendations.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("buyerId").GetInt64() == expo.Khnp);
        khnpRecommendation.GetProperty("freeSlots").GetArrayLength().Should().BeGreaterThan(0);
        khnpRecommendation.GetProperty("explanation").GetProperty("components").GetArrayLength().Should().BeGreaterThan(3);
        var requestId = await expo.RequestAsync(sme, smeId, expo.Khnp, "원전 밸브 주조 부품 공급 경험");
        var inbox = await khnp.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/buyers/{expo.Khnp}/requests?state=pending");
        inbox[0].GetProperty("score").GetDouble().Should().BeInRange(0, 1, "the buyer sees the SME's match score");
        inbox[0].GetProperty("explanation").GetProperty("components").GetArrayLength().Should().BeGreaterThan(3);
        inbox[0].GetProperty("sme").GetProperty("description").GetString().Should().Contain("금형");

        // The buyer accepts; the organiser builds and publishes; the accepted pair is in the timetable.
        (await khnp.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{requestId}/accept", new { })).EnsureSuccessStatusCode();
        await expo.PublishTimetableAsync();
        var itinerary = await sme.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/smes/{smeId}/itinerary");
        var meetings = itinerary.GetProperty("meetings").EnumerateArray().OrderBy(m => m.GetProperty("localStart").GetString()).ToList();
        meetings.Should().Contain(m => m.GetProperty("buyer").GetProperty("id").GetInt64() == expo.Khnp, "the accepted request is scheduled");
        meetings.Should().HaveCountGreaterThan(1);

        // The SME's calendar holds every meeting, as confirmed first versions.
        var before = await CalendarAsync(sme, smeId);
        before.Values.Should().HaveCount(meetings.Count).And.OnlyContain(e => e.GetProperty("status").GetString() == "CONFIRMED" && e.GetProperty("sequence").GetInt32() == 0);
        var others = new Dictionary<long, Dictionary<string, JsonElement>>();
        foreach (var other in expo.Smes.Skip(1))
        {
            using var client = await expo.AsAsync("sme", other);
            others[other] = await CalendarAsync(client, other);
        }

        // On the day the SME does not come to its first meeting: that buyer records the no-show, the organiser repairs.
        var first = meetings[0];
        var firstBuyer = first.GetProperty("buyer").GetProperty("id").GetInt64();
        using var firstBuyerClient = await expo.AsAsync("buyer", firstBuyer);
        (await firstBuyerClient.PostAsJsonAsync($"/api/events/busan-test/meetings/{first.GetProperty("meetingId").GetInt64()}/outcome",
            new { status = "no_show" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var repair = await expo.Organiser.PostAsJsonAsync("/api/events/busan-test/timetable/repairs",
            new { changes = new[] { new { kind = "no_show", smeId, slot = first.GetProperty("slot").GetString() } } });
        repair.StatusCode.Should().Be(HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        var diff = (await repair.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("diff");
        diff.GetProperty("notifySmes").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).Should().Contain(smeId);
        (await expo.Organiser.PostAsync("/api/events/busan-test/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        // The updated calendar: later meetings that day are cancelled (same UID, higher SEQUENCE), the no-show stays as it was.
        var after = await CalendarAsync(sme, smeId);
        after.Keys.Should().BeEquivalentTo(before.Keys, "a re-published timetable updates the same events instead of adding new ones");
        var firstUid = before.Keys.Single(uid => uid.StartsWith($"meeting-{first.GetProperty("meetingId").GetInt64()}@", StringComparison.Ordinal));
        after[firstUid].GetProperty("sequence").GetInt32().Should().Be(0);
        foreach (var uid in before.Keys.Where(u => u != firstUid))
        {
            after[uid].GetProperty("status").GetString().Should().Be("CANCELLED");
            after[uid].GetProperty("sequence").GetInt32().Should().BeGreaterThan(before[uid].GetProperty("sequence").GetInt32());
        }
        // The diff cancels every later meeting of the day: exactly what the calendar now says. The no-show itself is
        // recorded history (issue 10: publishing never rewrites a recorded meeting), so the repair leaves it as it is.
        var cancelledInDiff = diff.GetProperty("cancelled").EnumerateArray().Where(c => c.GetProperty("meeting").GetProperty("smeId").GetInt64() == smeId).ToList();
        cancelledInDiff.Should().HaveCount(before.Count - 1);
        cancelledInDiff.Should().OnlyContain(c => c.GetProperty("reason").GetString() == "sme_no_show");

        // A calendar that imported the file instead of subscribing gets an iTIP cancellation for exactly those meetings.
        var cancellationFile = await sme.GetByteArrayAsync($"/api/events/busan-test/smes/{smeId}/itinerary-cancellations.ics");
        var cancellation = await IcsParser.ParseAsync(cancellationFile);
        cancellation.GetProperty("calendar").GetProperty("METHOD").GetString().Should().Be("CANCEL");
        cancellation.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("uid").GetString())
            .Should().BeEquivalentTo(before.Keys.Where(u => u != firstUid));
        System.Text.Encoding.UTF8.GetString(cancellationFile).Should().Contain("ORGANIZER;CN=");

        // Everyone else's calendar: only meetings the diff moved or added changed.
        var touched = diff.GetProperty("moved").EnumerateArray().Select(m => m.GetProperty("to").GetProperty("smeId").GetInt64())
            .Concat(diff.GetProperty("added").EnumerateArray().Select(m => m.GetProperty("smeId").GetInt64())).ToHashSet();
        foreach (var (other, calendar) in others.Where(o => !touched.Contains(o.Key)))
        {
            using var client = await expo.AsAsync("sme", other);
            var now = await CalendarAsync(client, other);
            now.Keys.Should().BeEquivalentTo(calendar.Keys);
            now.Values.Should().OnlyContain(e => e.GetProperty("sequence").GetInt32() == 0 && e.GetProperty("status").GetString() == "CONFIRMED");
        }
    }

    [Fact]
    public async Task Recommendations_are_the_SMEs_own_and_leave_out_slots_where_either_side_is_busy()
    {
        await using var expo = await SmallExpo.StartAsync(smes: 2);
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        using var other = await expo.AsAsync("sme", expo.Smes[1]);
        using var buyer = await expo.AsAsync("buyer", expo.Khnp);
        var before = await WaitForRecommendationsAsync(sme, expo.Smes[0]);
        before.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("score").GetDouble()).Should().BeInDescendingOrder();

        (await other.GetAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/recommendations")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await buyer.GetAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/recommendations")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var badTop = await sme.GetAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/recommendations?top=0");
        (await badTop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("top");

        await expo.PublishTimetableAsync();
        var after = await sme.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/smes/{expo.Smes[0]}/recommendations");
        var busy = (await sme.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/smes/{expo.Smes[0]}/itinerary")).GetProperty("meetings")
            .EnumerateArray().Select(m => m.GetProperty("slot").GetString()).ToHashSet();
        busy.Should().NotBeEmpty();
        after.GetProperty("items").EnumerateArray().SelectMany(i => i.GetProperty("freeSlots").EnumerateArray())
            .Select(f => f.GetProperty("code").GetString()).Should().NotContain(busy, "a slot where the SME already meets someone is not free");
        after.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("meetingId").ValueKind == JsonValueKind.Number).Should().NotBeEmpty();
    }
}
