using Matchmaker.Core.Scheduling;
using Matchmaker.Tools.Scheduling;

namespace Matchmaker.Core.Tests.Scheduling;

/// <summary>Micro instances where every timetable can be enumerated: the solver must find the true optimum.</summary>
public class BruteForceTests
{
    private static ScheduleProblem Micro(int seed)
    {
        var rng = new Random(seed);
        var T = rng.Next(2, 4);
        var slots = Enumerable.Range(0, T).Select(i =>
        {
            var start = new DateTime(2025, 1, 1, 9, 0, 0).AddMinutes(30 * i + (i == 2 ? 60 : 0));
            return new SlotDef($"T{i}", start, start.AddMinutes(30));
        }).ToList();
        string[] halls = ["A", "B"];
        var useHalls = rng.NextDouble() < 0.4;
        List<string> Unavail() => rng.NextDouble() < 0.3 ? [slots[rng.Next(T)].Id] : [];
        var buyers = Enumerable.Range(0, rng.Next(1, 3)).Select(i => new BuyerDef($"B{i}", rng.Next(1, 3),
            rng.NextDouble() < 0.3 ? rng.Next(1, 3) : int.MaxValue, Unavail(), rng.NextDouble() < 0.3,
            useHalls ? halls[rng.Next(2)] : null)).ToList();
        var smes = Enumerable.Range(0, rng.Next(2, 4)).Select(i => new SmeDef($"S{i}", rng.Next(1, 4), rng.Next(0, 3),
            Unavail(), rng.NextDouble() < 0.3)).ToList();
        var pairs = new List<PairDef>();
        foreach (var s in smes)
            foreach (var b in buyers)
                if (rng.NextDouble() < 0.8 && pairs.Count < 6)
                    pairs.Add(new PairDef(s.Id, b.Id, Math.Round(rng.NextDouble(), 3), rng.NextDouble() < 0.3, rng.NextDouble() < 0.2 ? 2.0 : 1.0));
        var travel = useHalls
            ? new Dictionary<string, IReadOnlyDictionary<string, double>>
            {
                ["A"] = new Dictionary<string, double> { ["A"] = 0, ["B"] = 10 },
                ["B"] = new Dictionary<string, double> { ["A"] = 10, ["B"] = 0 },
            }
            : null;
        var options = new ProblemOptions(RequestedMode.Bonus, 1.0, rng.NextDouble() < 0.5 ? 10.0 : 0.5, 0, travel);
        return new ScheduleProblem(slots, buyers, smes, pairs, options);
    }

    /// <summary>Best objective over all assignments of pairs to slots (or none), tables numbered 1.. per buyer slot.</summary>
    private static double BruteForce(ScheduleProblem pr)
    {
        var n = pr.Pairs.Count;
        var T = pr.Slots.Count;
        var choice = new int[n];
        var best = double.NegativeInfinity;
        while (true)
        {
            var ms = new List<Meeting>();
            for (var i = 0; i < n; i++)
            {
                if (choice[i] == T) continue;
                var slot = pr.Slots[choice[i]].Id;
                var table = ms.Count(m => m.Buyer == pr.Pairs[i].Buyer && m.Slot == slot) + 1;
                ms.Add(new Meeting(pr.Pairs[i].Sme, pr.Pairs[i].Buyer, slot, table));
            }
            // Tables only matter through counts here (the solver numbers them to avoid back-to-back reuse).
            var v = ReferenceChecker.Violations(pr, ms).Where(x => !x.StartsWith("buyer_table_back_to_back")).ToList();
            if (v.Count == 0) best = Math.Max(best, ReferenceChecker.Objective(pr, ms));
            var k = 0;
            while (k < n && ++choice[k] > T) choice[k++] = 0;
            if (k == n) break;
        }
        return best;
    }

    [Theory]
    [InlineData(26)]   // a leftover flow pair's buyer is better used by another SME: one-for-one swap
    [InlineData(551)]  // dropping the cheapest meeting needs a two-step exchange
    [InlineData(137)]  // the swap needs a buyer's event cap freed first
    [InlineData(202)]  // after the swap, the freed buyer takes a pair no one chose (fill around)
    [InlineData(677)]  // ... and that pair must itself be swapped in (nested exchange)
    [InlineData(841)]  // a nested exchange must not undo the outer one (in-chain meetings are not blockers)
    public void Regression_micro_instances_reach_the_optimum(int seed)
    {
        var pr = Micro(seed);
        ScheduleSolver.Solve(pr).Objective.Should().BeApproximately(BruteForce(pr), 1e-9);
    }

    [Fact]
    public void Solver_matches_brute_force_on_micro_instances()
    {
        var mismatches = new List<string>();
        for (var seed = 1; seed <= 1000; seed++)
        {
            var pr = Micro(seed);
            var opt = BruteForce(pr);
            var r = ScheduleSolver.Solve(pr);
            ReferenceChecker.Violations(pr, r.Assignments).Should().BeEmpty($"seed {seed}");
            r.UpperBound!.Value.Should().BeGreaterThanOrEqualTo(opt - 1e-9, $"the bound is a bound (seed {seed})");
            if (Math.Abs(r.Objective - opt) > 1e-9)
                mismatches.Add($"seed {seed}: solver {r.Objective} vs optimum {opt}\n{ScheduleJson.WriteInstance(pr)}\n{ScheduleJson.WriteResult(r)}");
            if (r.Status == "optimal") r.Objective.Should().BeApproximately(opt, 1e-9, $"certified optimal must be optimal (seed {seed})");
        }
        // Restricted timetabling is NP-hard and the solver is a heuristic beyond the bound: it may miss the optimum on
        // a rare micro instance (seed 137: a swap that needs a buyer's event cap freed first). Allow 1 in 100.
        // Restricted timetabling is NP-hard and beyond the bound the solver is a heuristic: it may miss the optimum on
        // a rare micro instance (seed 509: a floor, a must-travel SME and a capped buyer need a three-step swap).
        // Allow 2 in 1000; the certified cases above must be exact.
        mismatches.Count.Should().BeLessThanOrEqualTo(2, string.Join("\n", mismatches));
    }
}
