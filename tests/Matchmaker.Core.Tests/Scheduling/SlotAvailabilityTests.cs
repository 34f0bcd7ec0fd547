using Matchmaker.Core.Scheduling;

namespace Matchmaker.Core.Tests.Scheduling;

/// <summary>
/// The availability rule against the spec: over solved timetables, a slot is offered (or a move allowed) exactly when
/// the independent <see cref="ReferenceChecker"/> finds the timetable with that meeting added (or moved) still valid.
/// </summary>
public class SlotAvailabilityTests
{
    public static TheoryData<GenSpec> Timetables => new()
    {
        new GenSpec(8, 25, 8, Seed: 21),
        new GenSpec(20, 15, 8, Seed: 25, Density: 0.9),
        new GenSpec(8, 25, 8, Seed: 22, Halls: 3),
        new GenSpec(8, 25, 10, Seed: 23, Days: 2, Halls: 2, Nb2bSme: 0.3, Nb2bBuyer: 0.3, MultiTable: 0.5),
        new GenSpec(6, 20, 6, Seed: 24, UnavailFrac: 0.5),
    };

    // Left out of the comparison: the caps on meetings, which bound what the optimiser gives a participant but not what
    // the participants book themselves (SlotAvailability.Check); and table numbers at a buyer who takes no back-to-back
    // meetings: the rule (like the solver) counts meetings in neighbouring slots, which table gets which number is the
    // table numbering's preference, checked by the solver tests.
    static readonly string[] NotSlotRules = ["sme_over_cap", "buyer_over_cap", "buyer_table_back_to_back"];

    static List<string> Violations(ScheduleProblem problem, IReadOnlyList<Meeting> timetable) =>
        ReferenceChecker.Violations(problem, timetable).Where(v => !NotSlotRules.Any(r => v.StartsWith(r, StringComparison.Ordinal))).ToList();

    /// <summary>
    /// A solved timetable without the meetings of every third SME: valid, with room at the buyers those SMEs met (an
    /// optimal timetable has none for any pair worth a meeting), while the other SMEs keep theirs, many up to their caps.
    /// </summary>
    static List<Meeting> Thinned(ScheduleProblem problem, GenSpec spec)
    {
        var gone = problem.Smes.Where((_, i) => i % 3 == 0).Select(s => s.Id).ToHashSet();
        return ScheduleSolver.Solve(problem, new SchedulingOptions(Seed: spec.Seed)).Assignments.Where(m => !gone.Contains(m.Sme)).ToList();
    }

    [Theory]
    [MemberData(nameof(Timetables))]
    public void Every_slot_offered_to_an_SME_can_be_booked_and_every_booking_the_solver_would_refuse_is_refused(GenSpec spec)
    {
        var problem = InstanceGenerator.Generate(spec);
        var timetable = Thinned(problem, spec);
        Violations(problem, timetable).Should().BeEmpty();
        var availability = new SlotAvailability(problem, timetable);
        int offered = 0, refused = 0;
        foreach (var pair in problem.Pairs)
        {
            var free = availability.FreeSlots(pair.Sme, pair.Buyer);
            foreach (var slot in problem.Slots)
            {
                var clash = availability.Check(pair.Sme, pair.Buyer, slot.Id);
                var booked = timetable.Append(new Meeting(pair.Sme, pair.Buyer, slot.Id, availability.FreeTable(pair.Buyer, slot.Id) ?? 1)).ToList();
                var violations = Violations(problem, booked);
                if (clash == SlotClash.None)
                {
                    violations.Should().BeEmpty($"{pair.Sme} was offered {slot.Id} with {pair.Buyer}");
                    free.Should().Contain(slot.Id);
                    offered++;
                }
                else
                {
                    violations.Should().NotBeEmpty($"{pair.Sme} with {pair.Buyer} in {slot.Id} was refused as {clash}");
                    free.Should().NotContain(slot.Id);
                    refused++;
                }
            }
        }
        offered.Should().BeGreaterThan(0);
        refused.Should().BeGreaterThan(0);
    }

    [Theory]
    [MemberData(nameof(Timetables))]
    public void A_move_is_allowed_exactly_when_the_moved_timetable_is_still_valid(GenSpec spec)
    {
        var problem = InstanceGenerator.Generate(spec);
        var timetable = Thinned(problem, spec);
        var allowed = 0;
        foreach (var moving in timetable.Where((_, i) => i % 3 == 0))
        {
            var others = timetable.Where(m => m != moving).ToList();
            var availability = new SlotAvailability(problem, others);
            foreach (var slot in problem.Slots.Where(s => s.Id != moving.Slot))
            {
                var table = availability.FreeTable(moving.Buyer, slot.Id) ?? 1;
                var clash = availability.Check(moving.Sme, moving.Buyer, slot.Id, table);
                var violations = Violations(problem, [.. others, moving with { Slot = slot.Id, Table = table }]);
                if (clash == SlotClash.None) { violations.Should().BeEmpty($"moving {moving} to {slot.Id} was allowed"); allowed++; }
                else violations.Should().NotBeEmpty($"moving {moving} to {slot.Id} was refused as {clash}");
            }
        }
        allowed.Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_named_table_that_is_taken_or_missing_is_refused_as_such()
    {
        var slots = new[] { new SlotDef("D1-01", new DateTime(2026, 5, 20, 10, 0, 0), new DateTime(2026, 5, 20, 10, 30, 0)) };
        var problem = new ScheduleProblem(slots, [new BuyerDef("B1", Tables: 2)], [new SmeDef("S1"), new SmeDef("S2"), new SmeDef("S3")], [], new ProblemOptions());
        var availability = new SlotAvailability(problem, [new Meeting("S1", "B1", "D1-01", 1)]);

        availability.Check("S2", "B1", "D1-01", table: 1).Should().Be(SlotClash.TableTaken);
        availability.Check("S2", "B1", "D1-01", table: 3).Should().Be(SlotClash.NoSuchTable);
        availability.Check("S2", "B1", "D1-01", table: 2).Should().Be(SlotClash.None);
        availability.FreeTable("B1", "D1-01").Should().Be(2);
        availability.Check("S1", "B1", "D1-01").Should().Be(SlotClash.SmeBusy);
        availability.FreeSlots("S1", "B1").Should().BeEmpty("a pair meets once");
    }

    [Fact]
    public void An_SME_is_not_offered_the_slot_next_to_a_meeting_in_a_hall_too_far_to_walk_to_in_the_changeover()
    {
        // 30-minute slots with a 5-minute changeover; hall A to hall C is a 10-minute walk, A to B 5.
        var start = new DateTime(2026, 5, 20, 10, 0, 0);
        var slots = Enumerable.Range(0, 3).Select(i => new SlotDef($"D1-0{i + 1}", start.AddMinutes(35 * i), start.AddMinutes(35 * i + 30))).ToList();
        var travel = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["A"] = new Dictionary<string, double> { ["A"] = 0, ["B"] = 5, ["C"] = 10 },
            ["B"] = new Dictionary<string, double> { ["A"] = 5, ["B"] = 0, ["C"] = 5 },
            ["C"] = new Dictionary<string, double> { ["A"] = 10, ["B"] = 5, ["C"] = 0 },
        };
        var problem = new ScheduleProblem(slots, [new BuyerDef("BA", Hall: "A"), new BuyerDef("BB", Hall: "B"), new BuyerDef("BC", Hall: "C")],
            [new SmeDef("S1")], [], new ProblemOptions(TravelMinutes: travel));
        var availability = new SlotAvailability(problem, [new Meeting("S1", "BA", "D1-02", 1)]);

        availability.FreeSlots("S1", "BC").Should().BeEmpty("D1-01 and D1-03 are a 5-minute changeover from hall A, and hall C is 10 minutes away");
        availability.Check("S1", "BC", "D1-03").Should().Be(SlotClash.HallTravel);
        availability.FreeSlots("S1", "BB").Should().Equal("D1-01", "D1-03");
    }
}
