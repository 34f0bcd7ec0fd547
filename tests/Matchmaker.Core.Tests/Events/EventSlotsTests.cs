using Matchmaker.Core.Events;

namespace Matchmaker.Core.Tests.Events;

public class EventSlotsTests
{
    static Event Expo(int slotMinutes = 30, int changeover = 5, params EventDay[] days) => new(
        "busan-2026", "2026 부산 혁신기술 구매상담회", "BEXCO", "Asia/Seoul", slotMinutes, changeover,
        days.Length > 0 ? days : [Day("2026-05-20")], ["A"], new Dictionary<string, IReadOnlyDictionary<string, int>>(), 2, 5);

    static EventDay Day(string date, string[]? windows = null, string[]? breaks = null) => new(
        DateOnly.Parse(date),
        (windows ?? ["10:00-12:00", "13:00-17:00"]).Select(Window).ToList(),
        (breaks ?? []).Select(Window).ToList());

    static TimeWindow Window(string text) => new(TimeOnly.Parse(text[..5]), TimeOnly.Parse(text[6..]));

    [Fact]
    public void Slots_fill_each_window_with_slot_length_plus_changeover()
    {
        var slots = Expo().Slots();

        // 10:00-12:00 holds 10:00, 10:35, 11:10 (11:45 would end 12:15); 13:00-17:00 holds 13:00 … 16:30 → 7.
        slots.Select(s => s.LocalStart.ToString("HH:mm")).Should().Equal(
            "10:00", "10:35", "11:10", "13:00", "13:35", "14:10", "14:45", "15:20", "15:55", "16:30");
        slots.Select(s => s.Code).Should().StartWith(["D1-01", "D1-02"]);
        slots[0].Start.Offset.Should().Be(TimeSpan.FromHours(9), "Asia/Seoul is UTC+9 all year");
    }

    [Fact]
    public void A_slot_never_overlaps_a_break()
    {
        var slots = Expo(days: Day("2026-05-20", ["13:00-17:00"], ["15:00-15:15"])).Slots();

        slots.Should().NotContain(s => s.LocalStart.TimeOfDay < new TimeSpan(15, 15, 0) && s.LocalEnd.TimeOfDay > new TimeSpan(15, 0, 0));
        slots.Select(s => s.LocalStart.ToString("HH:mm")).Should().Contain("15:15", "the first slot after the break starts when it ends");
    }

    [Fact]
    public void Slots_of_several_days_are_numbered_per_day()
    {
        var slots = Expo(days: [Day("2026-05-20"), Day("2026-05-21"), Day("2026-05-22")]).Slots();

        slots.Should().HaveCount(30);
        slots.Where(s => s.Day == 3).Select(s => s.Code).First().Should().Be("D3-01");
        slots.Select(s => s.Code).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Validation_names_every_field_at_fault()
    {
        var bad = Expo(slotMinutes: 0) with
        {
            EventId = "bad id!",
            TimeZone = "Mars/Olympus",
            Days = [Day("2026-05-20", ["12:00-10:00"])],
            Halls = ["A"],
            TravelMinutes = new Dictionary<string, IReadOnlyDictionary<string, int>> { ["Z"] = new Dictionary<string, int> { ["A"] = 5 } },
        };

        bad.Validate().Select(e => e.Field).Should().Contain(["eventId", "timeZone", "slotMinutes", "days[0].windows[0]", "travelMinutes.Z"]);
        Expo().Validate().Should().BeEmpty();
    }

    [Fact]
    public void Event_json_round_trips()
    {
        var expo = Expo(days: Day("2026-05-20", breaks: ["15:00-15:15"]));

        var read = EventFile.Read(EventFile.Write(expo));

        read.Slots().Should().BeEquivalentTo(expo.Slots());
        read.Name.Should().Be("2026 부산 혁신기술 구매상담회");
    }
}
