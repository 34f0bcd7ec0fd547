using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Matchmaker.Api.Tests.Requests;

namespace Matchmaker.Api.Tests.Events;

public class EventConfigurationTests
{
    static object Definition(string name, params string[] dates) => new
    {
        eventId = "busan-test",
        name,
        venue = "BEXCO",
        slotMinutes = 30,
        changeoverMinutes = 5,
        days = dates.Select(d => new { date = d, windows = new[] { new { start = "10:00", end = "12:00" }, new { start = "13:00", end = "17:00" } }, breaks = Array.Empty<object>() }),
        halls = new[] { "A", "B" },
    };

    [Fact]
    public async Task An_organiser_reconfigures_the_days_until_a_timetable_hangs_on_the_slots()
    {
        await using var expo = await SmallExpo.StartAsync();

        var addDay = await expo.Organiser.PutAsJsonAsync("/api/events/busan-test", Definition("부산 구매상담회", "2026-05-20", "2026-05-21"));
        addDay.StatusCode.Should().Be(HttpStatusCode.OK, await addDay.Content.ReadAsStringAsync());
        (await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/slots")).GetArrayLength().Should().Be(20);

        await expo.PublishTimetableAsync();
        var moveDays = await expo.Organiser.PutAsJsonAsync("/api/events/busan-test", Definition("부산 구매상담회", "2026-05-21"));
        var rename = await expo.Organiser.PutAsJsonAsync("/api/events/busan-test", Definition("2026 부산 구매상담회", "2026-05-20", "2026-05-21"));

        moveDays.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await moveDays.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("days");
        rename.StatusCode.Should().Be(HttpStatusCode.OK);
        (await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test")).GetProperty("name").GetString().Should().Be("2026 부산 구매상담회");
        (await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/slots")).GetArrayLength().Should().Be(20, "the refused change wrote nothing");
    }
}
