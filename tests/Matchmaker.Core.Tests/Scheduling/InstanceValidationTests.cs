using System.Text.Json.Nodes;
using Matchmaker.Core.Scheduling;
using Matchmaker.Tools.Scheduling;

namespace Matchmaker.Core.Tests.Scheduling;

/// <summary>A bad instance is rejected with the offending field named, before any solving.</summary>
public class InstanceValidationTests
{
    private const string Good = """
    {"format":"b2b-schedule-instance/1","options":{"travel_minutes":{"A":{"A":0,"B":10},"B":{"A":10,"B":0}}},
     "slots":[{"id":"T1","start":"2025-06-10T09:00","end":"2025-06-10T09:30"},{"id":"T2","start":"2025-06-10T09:30","end":"2025-06-10T10:00"}],
     "buyers":[{"id":"B1","hall":"A"},{"id":"B2","hall":"B","tables":2}],
     "smes":[{"id":"S1","min":1},{"id":"S2"}],
     "pairs":[{"sme":"S1","buyer":"B1","score":0.5},{"sme":"S2","buyer":"B1","score":0.6},{"sme":"S2","buyer":"B2","score":0.7}]}
    """;

    private static void Load(Action<JsonObject> mutate)
    {
        var node = JsonNode.Parse(Good)!.AsObject();
        mutate(node);
        ScheduleSolver.Validate(ScheduleJson.ReadInstance(node.ToJsonString()));
    }

    [Fact]
    public void The_good_instance_is_accepted() => FluentActions.Invoking(() => Load(_ => { })).Should().NotThrow();

    [Theory]
    [InlineData("pairs[1].score", """{"sme":"S2","buyer":"B1","score":1.3}""")]
    [InlineData("pairs[1].buyer", """{"sme":"S2","buyer":"B9","score":0.3}""")]
    [InlineData("pairs[1].sme", """{"sme":"S9","buyer":"B1","score":0.3}""")]
    [InlineData("pairs[1]", """{"sme":"S1","buyer":"B1","score":0.3}""")]
    [InlineData("pairs[1].score", """{"sme":"S2","buyer":"B1","score":"high"}""")]
    [InlineData("pairs[1].weight", """{"sme":"S2","buyer":"B1","score":0.3,"weight":-1}""")]
    public void Bad_pairs_name_the_field(string field, string pair) =>
        FluentActions.Invoking(() => Load(n => n["pairs"]![1] = JsonNode.Parse(pair)))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == field);

    [Fact]
    public void Overlapping_slots_are_rejected() =>
        FluentActions.Invoking(() => Load(n => n["slots"]![1]!["start"] = "2025-06-10T09:15"))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "slots[1]" && e.Message.Contains("overlaps"));

    [Fact]
    public void A_slot_ending_before_it_starts_is_rejected() =>
        FluentActions.Invoking(() => Load(n => n["slots"]![0]!["end"] = "2025-06-10T08:00"))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "slots[0].end");

    [Fact]
    public void A_hall_without_travel_times_is_rejected() =>
        FluentActions.Invoking(() => Load(n => n["buyers"]![1]!["hall"] = "C"))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "buyers[1].hall");

    [Fact]
    public void Negative_travel_minutes_are_rejected() =>
        FluentActions.Invoking(() => Load(n => n["options"]!["travel_minutes"]!["A"]!["B"] = -5))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "options.travel_minutes.A.B");

    [Fact]
    public void Unknown_unavailable_slot_is_rejected() =>
        FluentActions.Invoking(() => Load(n => n["smes"]![0]!["unavailable_slots"] = new JsonArray("T1", "T7")))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "smes[0].unavailable_slots[1]");

    [Fact]
    public void Duplicate_ids_and_bad_mode_are_rejected()
    {
        FluentActions.Invoking(() => Load(n => n["buyers"]![1]!["id"] = "B1"))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "buyers[1].id");
        FluentActions.Invoking(() => Load(n => n["options"]!["requested_mode"] = "maybe"))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "options.requested_mode");
        FluentActions.Invoking(() => Load(n => n["buyers"]![0]!["tables"] = 0))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "buyers[0].tables");
    }

    [Fact]
    public void Missing_section_and_broken_json_are_rejected()
    {
        FluentActions.Invoking(() => Load(n => n.Remove("smes")))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "smes");
        FluentActions.Invoking(() => ScheduleJson.ReadInstance("{\"slots\": ["))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "$");
    }

    [Fact]
    public void Inconsistent_locks_are_rejected() =>
        FluentActions.Invoking(() => Load(n => n["locks"] = JsonNode.Parse("""[{"sme":"S1","buyer":"B2","slot":"T1","table":1}]""")))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "locks[0]" && e.Message.Contains("not in pairs"));
}
