using Matchmaker.Core.Scheduling;
using Matchmaker.Tools.Scheduling;

namespace Matchmaker.Core.Tests.Scheduling;

public class ScheduleSolverTests
{
    public static TheoryData<GenSpec> Generated => new()
    {
        new GenSpec(12, 40, 8, Seed: 1),
        new GenSpec(12, 40, 8, Seed: 2, Days: 2),
        new GenSpec(15, 50, 10, Seed: 3, Halls: 3),
        new GenSpec(15, 50, 10, Seed: 4, Days: 2, Halls: 2, Nb2bSme: 0.3, Nb2bBuyer: 0.3),
        new GenSpec(10, 30, 6, Seed: 5, UnavailFrac: 0.5, MultiTable: 0.5),
        new GenSpec(10, 30, 8, Seed: 6, Locks: 8),
        new GenSpec(8, 20, 8, Seed: 7, Mode: RequestedMode.Must, Density: 0.3),
    };

    [Theory]
    [MemberData(nameof(Generated))]
    public void Generated_timetables_satisfy_every_constraint(GenSpec spec)
    {
        var problem = InstanceGenerator.Generate(spec);
        var r = ScheduleSolver.Solve(problem, new SchedulingOptions(Seed: spec.Seed));
        ReferenceChecker.Violations(problem, r.Assignments).Should().BeEmpty();
        r.Objective.Should().BeApproximately(ReferenceChecker.Objective(problem, r.Assignments), 1e-6);
        r.UpperBound.Should().NotBeNull();
        r.Objective.Should().BeLessThanOrEqualTo(r.UpperBound!.Value + 1e-6);
        r.Meetings.Should().Be(r.Assignments.Count);
        if (spec.Mode == RequestedMode.Must && r.Status != "requested_missing") r.RequestedScheduled.Should().Be(r.RequestedTotal);
    }

    [Fact]
    public void Warm_started_column_generation_reaches_the_same_bound()
    {
        // With one arc per SME in the first round almost every other arc prices out, so the bound rests on the warm
        // start (saturate negative arcs, route the excess back) being exact.
        for (var seed = 1; seed <= 6; seed++)
        {
            var problem = InstanceGenerator.Generate(new GenSpec(20, 70, 10, 200 + seed, Days: 1 + seed % 2, Halls: seed % 3 == 0 ? 2 : 1));
            var full = ScheduleSolver.Solve(problem);
            try
            {
                SolverRun.ArcsPerSmeOverride = 1;
                var pruned = ScheduleSolver.Solve(problem);
                pruned.UpperBound!.Value.Should().BeApproximately(full.UpperBound!.Value, 1e-6, $"seed {200 + seed}");
                ReferenceChecker.Violations(problem, pruned.Assignments).Should().BeEmpty();
            }
            finally
            {
                SolverRun.ArcsPerSmeOverride = null;
            }
        }
    }

    [Fact]
    public void Exchanges_keep_the_timetable_consistent()
    {
        // Regression: a nested exchange could fill in a displaced meeting that the outer exchange then placed a
        // second time (double counts, a buyer over its tables). Recount after every fill step.
        SolverRun.DebugChecks = true;
        try
        {
            for (var seed = 1; seed <= 6; seed++)
            {
                var problem = InstanceGenerator.Generate(new GenSpec(25, 80, 12, 100 + seed, Halls: 3, Nb2bSme: 0.2, Nb2bBuyer: 0.2));
                var r = ScheduleSolver.Solve(problem);
                ReferenceChecker.Violations(problem, r.Assignments).Should().BeEmpty($"seed {100 + seed}");
            }
        }
        finally
        {
            SolverRun.DebugChecks = false;
        }
    }

    [Fact]
    public void Locks_stay_exactly_where_the_organiser_put_them()
    {
        var problem = InstanceGenerator.Generate(new GenSpec(10, 30, 8, Seed: 11, Locks: 10));
        problem.Locks.Should().HaveCount(10);
        var r = ScheduleSolver.Solve(problem);
        r.Assignments.Should().Contain(problem.Locks!);
    }

    [Fact]
    public void Unrestricted_instances_reach_the_bound_exactly_as_Koenig_promises()
    {
        // No availability gaps, back-to-back or travel rules: a bipartite multigraph of max degree ≤ T is T-edge-
        // colourable, so every pair the flow chooses gets a slot and the bound is met.
        for (var seed = 1; seed <= 5; seed++)
        {
            var problem = InstanceGenerator.Generate(new GenSpec(15, 60, 8, seed, UnavailFrac: 0, Nb2bSme: 0, Nb2bBuyer: 0, MultiTable: 0.3));
            var r = ScheduleSolver.Solve(problem);
            r.Status.Should().Be("optimal", $"seed {seed}");
            r.Gap.Should().Be(0);
            r.Objective.Should().BeApproximately(r.UpperBound!.Value, 1e-9);
        }
    }

    [Fact]
    public void Koenig_case_with_every_buyer_saturated()
    {
        // 3 buyers × 3 SMEs, complete, 3 slots, caps 3: a Latin square is the only way to place all 9 meetings.
        var slots = Enumerable.Range(0, 3).Select(i => new SlotDef($"T{i}", new DateTime(2025, 1, 1, 9 + i, 0, 0), new DateTime(2025, 1, 1, 9 + i, 30, 0))).ToList();
        var buyers = Enumerable.Range(0, 3).Select(i => new BuyerDef($"B{i}")).ToList();
        var smes = Enumerable.Range(0, 3).Select(i => new SmeDef($"S{i}")).ToList();
        var pairs = (from s in smes from b in buyers select new PairDef(s.Id, b.Id, 0.5)).ToList();
        var r = ScheduleSolver.Solve(new ScheduleProblem(slots, buyers, smes, pairs, new ProblemOptions()));
        r.Meetings.Should().Be(9);
        r.Status.Should().Be("optimal");
        r.UpperBound.Should().Be(4.5);
    }

    [Fact]
    public void Same_seed_gives_the_same_timetable()
    {
        var problem = InstanceGenerator.Generate(new GenSpec(15, 50, 10, Seed: 21, Halls: 3, Days: 2));
        var a = ScheduleJson.WriteResult(ScheduleSolver.Solve(problem, new SchedulingOptions(Seed: 5)) with { Times = new Dictionary<string, double>() });
        var b = ScheduleJson.WriteResult(ScheduleSolver.Solve(problem, new SchedulingOptions(Seed: 5)) with { Times = new Dictionary<string, double>() });
        a.Should().Be(b);
    }

    [Fact]
    public void Floors_are_met_when_capacity_allows()
    {
        var problem = InstanceGenerator.Generate(new GenSpec(12, 40, 8, Seed: 31));
        var r = ScheduleSolver.Solve(problem);
        r.SmesBelowMin.Should().Be(0);
    }

    [Fact]
    public void Json_round_trip_reads_the_spec_example_fields()
    {
        const string json = """
        {"format":"b2b-schedule-instance/1","options":{"requested_mode":"bonus","requested_bonus":1.0,"min_shortfall_penalty":10,
         "back_to_back_max_gap_minutes":0,"travel_minutes":{"A":{"A":0,"B":10},"B":{"A":10,"B":0}}},
         "slots":[{"id":"D1-01","start":"2025-06-10T09:00","end":"2025-06-10T09:30"},{"id":"D1-02","start":"2025-06-10T09:30","end":"2025-06-10T10:00"}],
         "buyers":[{"id":"B1","tables":1,"cap":14,"unavailable_slots":[],"hall":"A"},{"id":"B2","hall":"B","no_back_to_back":true}],
         "smes":[{"id":"S1","cap":6,"min":1},{"id":"S2"}],
         "pairs":[{"sme":"S1","buyer":"B1","score":0.7,"requested":true},{"sme":"S1","buyer":"B2","score":0.9},{"sme":"S2","buyer":"B2","score":0.4,"weight":2}]}
        """;
        var problem = ScheduleJson.ReadInstance(json);
        var r = ScheduleSolver.Solve(problem);
        ReferenceChecker.Violations(problem, r.Assignments).Should().BeEmpty();
        // S1 cannot walk from hall A to hall B between adjacent slots: best is S1-B1 (1.7) + S2-B2 (0.8).
        r.Objective.Should().BeApproximately(2.5, 1e-9);
        r.UpperBound.Should().BeApproximately(2.6, 1e-9); // S1-B1 + S1-B2: the bound ignores the travel clash
        r.Status.Should().Be("feasible");
    }
}

/// <summary>A clock that jumps one second every time it is read: any time limit runs out almost at once.</summary>
internal sealed class JumpingClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks += TimeSpan.TicksPerSecond;
}

public class ScheduleSolverTimeLimitTests
{
    [Fact]
    public void An_exhausted_time_limit_still_returns_a_valid_timetable()
    {
        var problem = InstanceGenerator.Generate(new GenSpec(15, 60, 10, Seed: 51, Halls: 2, Locks: 5));
        var r = ScheduleSolver.Solve(problem, new SchedulingOptions(TimeSpan.FromSeconds(3)), new JumpingClock());
        ReferenceChecker.Violations(problem, r.Assignments).Should().BeEmpty();
        r.Assignments.Should().Contain(problem.Locks!);
        r.Status.Should().Be("time_limit");
        r.UpperBound.Should().BeNull();
        // The cut-off solve still ends with a greedy pass, so the timetable is useful, not just valid.
        r.Meetings.Should().BeGreaterThan(problem.Smes.Count);
    }

    [Fact]
    public void Infeasible_must_meet_pairs_are_reported_never_forced_past_a_cap()
    {
        // Regression: must-meet pairs were fixed into the pair selection and then placed past the buyer's event cap.
        var slots = Enumerable.Range(0, 4).Select(i => new SlotDef($"T{i}", new DateTime(2025, 1, 1, 9, 0, 0).AddMinutes(30 * i), new DateTime(2025, 1, 1, 9, 29, 0).AddMinutes(30 * i))).ToList();
        var buyers = new List<BuyerDef> { new("B0", Cap: 2), new("B1") };
        var smes = Enumerable.Range(0, 4).Select(i => new SmeDef($"S{i}", Min: 1)).ToList();
        var pairs = smes.Select(s => new PairDef(s.Id, "B0", 0.5, Requested: true)).Append(new PairDef("S3", "B1", 0.9)).ToList();
        var problem = new ScheduleProblem(slots, buyers, smes, pairs, new ProblemOptions(RequestedMode.Must));
        var r = ScheduleSolver.Solve(problem);
        r.Status.Should().Be("requested_missing");
        r.RequestedMissing.Should().HaveCount(2);
        ReferenceChecker.Violations(problem, r.Assignments).Where(v => !v.StartsWith("requested_missing")).Should().BeEmpty();
    }

    [Fact]
    public void Must_meet_pairs_are_all_scheduled_when_possible()
    {
        var problem = InstanceGenerator.Generate(new GenSpec(8, 20, 8, Seed: 52, Mode: RequestedMode.Must, Density: 0.3));
        problem.Pairs.Count(p => p.Requested).Should().BeGreaterThan(3);
        var r = ScheduleSolver.Solve(problem);
        r.RequestedMissing.Should().BeEmpty();
        r.RequestedScheduled.Should().Be(r.RequestedTotal);
        ReferenceChecker.Violations(problem, r.Assignments).Should().BeEmpty();
    }
}
