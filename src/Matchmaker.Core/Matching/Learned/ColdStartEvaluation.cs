using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Matchmaker.Core.Matching;

/// <summary>NDCG@k over a subset of SMEs: per SME (its buyers ranked) and per buyer (only the subset's SMEs ranked),
/// with the number of SMEs and buyers that had a good outcome to find.</summary>
public sealed record SubsetNdcg(double PerSme, int Smes, double PerBuyer, int Buyers);

/// <summary>How the learned pair model does against the hand-weighted scores on a held-out event, for the SMEs
/// without history (cold) and those with (warm).</summary>
/// <param name="Trainers">The learned model of each trainer tried: its figures on cold and warm SMEs.</param>
public sealed record ColdStartReport(string HeldOut, int K, string Chosen, SubsetNdcg ColdContent, SubsetNdcg ColdFitted, SubsetNdcg ColdLearned,
    SubsetNdcg WarmHybrid, SubsetNdcg WarmLearned, IReadOnlyDictionary<string, (SubsetNdcg Cold, SubsetNdcg Warm)> Trainers)
{
    /// <summary>One JSON line: the issue's keys per SME, the same per buyer under "per_buyer", and every trainer's.</summary>
    public string ToJson()
    {
        static JsonNode N(double x) => JsonValue.Create(Math.Round(x, 4))!;
        var root = new JsonObject
        {
            ["cold"] = new JsonObject { ["content"] = N(ColdContent.PerSme), ["fitted"] = N(ColdFitted.PerSme), ["learned"] = N(ColdLearned.PerSme) },
            ["warm"] = new JsonObject { ["hybrid"] = N(WarmHybrid.PerSme), ["learned"] = N(WarmLearned.PerSme) },
            ["n_cold"] = ColdContent.Smes,
            ["n_warm"] = WarmHybrid.Smes,
            ["per_buyer"] = new JsonObject
            {
                ["cold"] = new JsonObject { ["content"] = N(ColdContent.PerBuyer), ["fitted"] = N(ColdFitted.PerBuyer), ["learned"] = N(ColdLearned.PerBuyer) },
                ["warm"] = new JsonObject { ["hybrid"] = N(WarmHybrid.PerBuyer), ["learned"] = N(WarmLearned.PerBuyer) },
                ["n_cold"] = ColdContent.Buyers,
                ["n_warm"] = WarmHybrid.Buyers,
            },
            ["learned_model"] = Chosen,
            ["trainers"] = new JsonObject(Trainers.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => KeyValuePair.Create(t.Key, (JsonNode?)new JsonObject
            {
                ["cold"] = N(t.Value.Cold.PerSme), ["warm"] = N(t.Value.Warm.PerSme),
                ["cold_per_buyer"] = N(t.Value.Cold.PerBuyer), ["warm_per_buyer"] = N(t.Value.Warm.PerBuyer),
            }))),
            ["held_out"] = HeldOut,
            ["k"] = K,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}

/// <summary>The pure part of <c>cold-start-eval</c>: score matrices of a held-out event and NDCG over SME subsets.</summary>
public static class ColdStartEvaluation
{
    /// <summary>SMEs the recommender knows nothing of (no collaborative value against any buyer).</summary>
    public static bool[] ColdSmes(EventFeatures features)
    {
        var cold = new bool[features.SmeCount];
        for (var s = 0; s < cold.Length; s++)
        {
            cold[s] = true;
            for (var b = 0; b < features.BuyerCount; b++)
                if (!float.IsNaN(features.Collaborative[s * features.BuyerCount + b])) { cold[s] = false; break; }
        }
        return cold;
    }

    /// <summary>The learned model's score for every SME × buyer cell (the buyer's best demand by content); NaN where a
    /// hard filter removes every demand.</summary>
    public static double[] LearnedScores(EventFeatures features, ScoringWeights weights, LearnedPairModel model)
    {
        var best = new int[features.SmeCount * features.BuyerCount];
        features.Combine(ReplayEvaluation.ContentOnlyOf(weights), best);
        var cells = Enumerable.Range(0, best.Length).Where(c => best[c] >= 0).ToList();
        var scores = new double[best.Length];
        Array.Fill(scores, double.NaN);
        var learned = model.Score(PairExamples.ForCells(features, weights, cells, best));
        for (var i = 0; i < cells.Count; i++) scores[cells[i]] = learned[i].Score;
        return scores;
    }

    /// <summary>NDCG@k of a score matrix (SME-major, NaN = not proposed) over the SMEs in <paramref name="subset"/>.</summary>
    public static SubsetNdcg Ndcg(EventReplay replay, double[] scores, bool[] subset, int k)
    {
        var f = replay.Features;
        int nS = f.SmeCount, nB = f.BuyerCount;
        var buyerIds = f.Input.Buyers.Select(b => b.Id).ToArray();
        var smeIds = f.Input.Smes.Select(s => s.Id).ToArray();
        var smes = Enumerable.Range(0, nS).Where(s => subset[s]).ToArray();
        double perSme = 0, perBuyer = 0;
        int countSme = 0, countBuyer = 0;
        foreach (var s in smes)
            if (One(Enumerable.Range(0, nB).Select(b => s * nB + b).ToArray(), buyerIds) is { } n) { perSme += n; countSme++; }
        for (var b = 0; b < nB; b++)
            if (One(smes.Select(s => s * nB + b).ToArray(), smes.Select(s => smeIds[s]).ToArray()) is { } n) { perBuyer += n; countBuyer++; }
        return new SubsetNdcg(countSme == 0 ? 0 : perSme / countSme, countSme, countBuyer == 0 ? 0 : perBuyer / countBuyer, countBuyer);

        // One ranked list (cells, with the ids that break ties); null when it has no good outcome to find.
        double? One(int[] cells, long[] ids)
        {
            var positives = cells.Count(c => replay.Positive[c]);
            if (positives == 0) return null;
            var order = Enumerable.Range(0, cells.Length).ToArray();
            var keys = cells.Select(c => double.IsNaN(scores[c]) ? double.NegativeInfinity : scores[c]).ToArray();
            Array.Sort(order, (x, y) => keys[x] != keys[y] ? keys[y].CompareTo(keys[x]) : ids[x].CompareTo(ids[y]));
            double dcg = 0, ideal = 0;
            for (var i = 0; i < Math.Min(k, cells.Length); i++)
            {
                if (replay.Positive[cells[order[i]]] && !double.IsNegativeInfinity(keys[order[i]])) dcg += 1 / Math.Log2(i + 2);
                if (i < positives) ideal += 1 / Math.Log2(i + 2);
            }
            return dcg / ideal;
        }
    }

    /// <summary>Every figure of the report, for the held-out replay, the fitted weights and the learned models.</summary>
    public static ColdStartReport Run(EventReplay heldOut, ScoringWeights baseWeights, ScoringWeights fitted,
        IReadOnlyDictionary<PairModelTrainer, LearnedPairModel> models, PairModelTrainer chosen, int k)
    {
        var f = heldOut.Features;
        var cold = ColdSmes(f);
        var warm = cold.Select(c => !c).ToArray();
        var content = f.Combine(ReplayEvaluation.ContentOnlyOf(baseWeights));
        var fittedScores = f.Combine(fitted);
        var hybrid = f.Combine(baseWeights);
        var trainers = new Dictionary<string, (SubsetNdcg Cold, SubsetNdcg Warm)>(StringComparer.Ordinal);
        foreach (var (trainer, model) in models)
        {
            var learned = LearnedScores(f, baseWeights, model);
            trainers[model.Algorithm] = (Ndcg(heldOut, learned, cold, k), Ndcg(heldOut, learned, warm, k));
        }
        var picked = trainers[LearnedPairModel.AlgorithmName(chosen)];
        return new ColdStartReport(heldOut.EventId, k, LearnedPairModel.AlgorithmName(chosen), Ndcg(heldOut, content, cold, k), Ndcg(heldOut, fittedScores, cold, k),
            picked.Cold, Ndcg(heldOut, hybrid, warm, k), picked.Warm, trainers);
    }

    /// <summary>The report as a table, one row per ranking (for the console above the JSON line).</summary>
    public static IEnumerable<string> Table(ColdStartReport r)
    {
        yield return string.Create(CultureInfo.InvariantCulture, $"  {"SMEs",-6}{"ranking",-22}{"NDCG@" + r.K + "/SME",14}{"NDCG@" + r.K + "/buyer",16}");
        string Row(string who, string name, SubsetNdcg n) =>
            string.Create(CultureInfo.InvariantCulture, $"  {who,-6}{name,-22}{n.PerSme,14:0.0000}{n.PerBuyer,16:0.0000}");
        yield return Row("cold", "content (hand)", r.ColdContent);
        yield return Row("cold", "content (fitted)", r.ColdFitted);
        foreach (var (name, (c, _)) in r.Trainers.OrderBy(t => t.Key, StringComparer.Ordinal)) yield return Row("cold", name, c);
        yield return Row("warm", "hybrid (hand)", r.WarmHybrid);
        foreach (var (name, (_, w)) in r.Trainers.OrderBy(t => t.Key, StringComparer.Ordinal)) yield return Row("warm", name, w);
        yield return string.Create(CultureInfo.InvariantCulture,
            $"  cold SMEs with a good outcome: {r.ColdContent.Smes}, warm: {r.WarmHybrid.Smes}; buyers with one among cold SMEs: {r.ColdContent.Buyers}, warm: {r.WarmHybrid.Buyers}");
    }
}
