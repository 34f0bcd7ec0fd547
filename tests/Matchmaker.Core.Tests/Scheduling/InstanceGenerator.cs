using Matchmaker.Core.Scheduling;

namespace Matchmaker.Core.Tests.Scheduling;

/// <summary>Knobs of the test generator; defaults resemble gen.py at a small size.</summary>
public sealed record GenSpec(
    int Buyers, int Smes, int Slots, int Seed,
    int Days = 1, int Halls = 1, double UnavailFrac = 0.1, double Nb2bSme = 0.05, double Nb2bBuyer = 0.03,
    double MultiTable = 0.2, RequestedMode Mode = RequestedMode.Bonus, double Density = 0.25, int Locks = 0);

/// <summary>
/// A seeded C# twin of gen.py (smaller and simpler): log-normal buyer popularity, 10–25 % density, caps, floors,
/// availability blocks, no-back-to-back participants, halls with 10 minutes' travel, requested pairs, optional locks.
/// </summary>
public static class InstanceGenerator
{
    public static ScheduleProblem Generate(GenSpec g)
    {
        var rng = new Random(g.Seed);
        var slots = new List<SlotDef>();
        var perDay = Enumerable.Range(0, g.Days).Select(d => g.Slots / g.Days + (d < g.Slots % g.Days ? 1 : 0)).ToArray();
        for (var d = 0; d < g.Days; d++)
        {
            var t = new DateTime(2025, 6, 10 + d, 9, 0, 0);
            var lunchAfter = (perDay[d] + 1) / 2;
            for (var k = 0; k < perDay[d]; k++)
            {
                if (k == lunchAfter) t = t.AddMinutes(60);
                slots.Add(new SlotDef($"D{d + 1}-{k + 1:00}", t, t.AddMinutes(30)));
                t = t.AddMinutes(30);
            }
        }
        List<string> Block()
        {
            var d = rng.Next(g.Days);
            var off = perDay.Take(d).Sum();
            var len = Math.Min(perDay[d], rng.Next(2, 6));
            var start = rng.Next(0, perDay[d] - len + 1);
            return Enumerable.Range(start, len).Select(i => slots[off + i].Id).ToList();
        }
        var halls = Enumerable.Range(0, g.Halls).Select(h => ((char)('A' + h)).ToString()).ToArray();
        var pop = Enumerable.Range(0, g.Buyers).Select(_ => Math.Exp(0.8 * Normal(rng))).ToArray();
        var buyers = new List<BuyerDef>();
        for (var b = 0; b < g.Buyers; b++)
        {
            var tables = rng.NextDouble() < g.MultiTable ? rng.Next(2, 4) : 1;
            buyers.Add(new BuyerDef($"B{b + 1:0000}", tables, rng.Next(12, 17) * g.Days * tables,
                rng.NextDouble() < g.UnavailFrac ? Block() : [], rng.NextDouble() < g.Nb2bBuyer,
                g.Halls > 1 ? halls[rng.Next(g.Halls)] : null));
        }
        var smes = new List<SmeDef>();
        for (var s = 0; s < g.Smes; s++)
            smes.Add(new SmeDef($"S{s + 1:00000}", rng.Next(4, 9), rng.NextDouble() < 0.7 ? 1 : 2,
                rng.NextDouble() < g.UnavailFrac ? Block() : [], rng.NextDouble() < g.Nb2bSme));
        var pairs = new List<PairDef>();
        for (var s = 0; s < g.Smes; s++)
        {
            var k = Math.Clamp((int)Math.Round(g.Buyers * g.Density * (0.6 + 0.8 * rng.NextDouble())), Math.Min(3, g.Buyers), g.Buyers);
            // Popularity-biased sample without replacement.
            var chosen = Enumerable.Range(0, g.Buyers)
                .Select(b => (b, key: Math.Pow(rng.NextDouble(), 1.0 / (0.6 * pop[b] + 0.4))))
                .OrderByDescending(x => x.key).Take(k).Select(x => x.b).ToList();
            var requests = rng.Next(0, 4);
            foreach (var b in chosen)
            {
                var score = Math.Round(0.2 + 0.8 * rng.NextDouble(), 3);
                var req = requests > 0 && rng.NextDouble() < 0.3;
                if (req) requests--;
                pairs.Add(new PairDef(smes[s].Id, buyers[b].Id, score, req));
            }
        }
        Dictionary<string, IReadOnlyDictionary<string, double>>? travel = null;
        if (g.Halls > 1)
            travel = halls.ToDictionary(h => h, h => (IReadOnlyDictionary<string, double>)halls.ToDictionary(x => x, x => x == h ? 0.0 : 10.0));
        var options = new ProblemOptions(g.Mode, 1.0, 10.0, 0, travel);
        var problem = new ScheduleProblem(slots, buyers, smes, pairs, options);
        if (g.Locks > 0)
        {
            // Locks taken from a solved timetable are consistent by construction.
            var solved = ScheduleSolver.Solve(problem, new SchedulingOptions(Seed: g.Seed));
            var locks = solved.Assignments.Where((_, i) => i % Math.Max(1, solved.Assignments.Count / g.Locks) == 0).Take(g.Locks).ToList();
            problem = problem with { Locks = locks };
        }
        return problem;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
