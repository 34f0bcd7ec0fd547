using Dapper;
using Matchmaker.Core.Reference;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Matching;

/// <summary>
/// How well a ranking put the meetings that turned out well (held and rated ≥ 4, or a follow-up) on top, per SME
/// (buyers ranked) and per buyer (SMEs ranked), at cut-off k; plus how widely the top-k lists spread: the share of
/// SMEs that appear in some buyer's top k and of buyers in some SME's top k, and the Gini coefficient of SMEs'
/// appearances in buyers' top-k lists (0 = every SME equally often, 1 = all in one).
/// </summary>
public sealed record RankingMetrics(int K, double NdcgPerSme, double PrecisionPerSme, double RecallPerSme, int SmesWithPositives,
    double NdcgPerBuyer, double PrecisionPerBuyer, double RecallPerBuyer, int BuyersWithPositives, double SmeCoverage, double BuyerCoverage,
    double ExposureGini)
{
    /// <summary>The figure weight searches maximise: mean of the two NDCGs.</summary>
    public double Objective => (NdcgPerSme + NdcgPerBuyer) / 2;
}

/// <summary>One past event ready for replay: component values computed with only what was known before it (earlier
/// events' interactions, a recommender trained on them), and the pairs whose meeting turned out well.</summary>
public sealed record EventReplay(long EventDbId, string EventId, EventFeatures Features, bool[] Positive, float[] SmePopularity, float[] BuyerPopularity,
    IReadOnlyList<string> EarlierEvents, int TrainingInteractions);

/// <summary>One ranking's figures on one event.</summary>
public sealed record RankingResult(string Ranking, string EventId, RankingMetrics Metrics);

/// <summary>A weight search: the weights fitted on earlier events and how they, the starting profile and the
/// baselines do on the held-out event.</summary>
public sealed record WeightSearchReport(IReadOnlyList<string> FitEvents, string HeldOutEvent, int Candidates, ulong Seed, ScoringWeights Fitted,
    double FitObjective, double BaseFitObjective, IReadOnlyList<RankingResult> HeldOut);

/// <summary>
/// Offline evaluation by replaying past events. Everything is pure once an event is prepared: a weight profile only
/// recombines the stored component values, so comparisons and weight searches are cheap.
/// </summary>
public sealed class ReplayEvaluation(Database database, RecommenderTrainingOptions recommender, TimeProvider clock)
{
    public const string Popularity = "popularity";
    public const string ContentOnly = "content-only";
    public const string CollaborativeOnly = "cf-only";

    /// <summary>Loads a past event with what was known before it. Null when there is no such event.</summary>
    public async Task<EventReplay?> PrepareAsync(string eventId, ScoringWeights textSettings, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var eventDbId = await connection.ExecuteScalarAsync<long?>("SELECT id FROM events WHERE event_id = @eventId", new { eventId });
        if (eventDbId is null) return null;
        var earlier = await ScoringData.EarlierEventsAsync(connection, eventDbId.Value);
        var earlierIds = (await ScoringData.EventsInOrderAsync(connection)).Where(e => earlier.Contains(e.Id)).Select(e => e.EventId).ToList();
        var interactions = await ScoringData.InteractionsAsync(connection, earlier);
        var model = recommender.Train(interactions, clock);
        var input = await ScoringData.LoadAsync(connection, eventDbId.Value, interactions.Select(i => i.Interaction).ToList(), model);
        var features = EventFeatures.Compute(input, textSettings, KsicCatalog.Default, threads: 2);
        var smeIndex = input.Smes.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var buyerIndex = input.Buyers.Select((b, i) => (b.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var positive = new bool[input.Smes.Count * input.Buyers.Count];
        foreach (var (sme, buyer) in await ScoringData.PositiveOutcomesAsync(connection, eventDbId.Value))
            if (smeIndex.TryGetValue(sme, out var s) && buyerIndex.TryGetValue(buyer, out var b)) positive[s * input.Buyers.Count + b] = true;
        // Popularity baseline: positive outcomes each SME and each buyer had at earlier events.
        var good = interactions.Where(i => i.Interaction.Kind is "rated_well" or "follow_up" or "contract").Select(i => i.Interaction).ToList();
        var bySme = good.GroupBy(i => i.SmeKey).ToDictionary(g => g.Key, g => g.Count());
        var byBuyer = good.GroupBy(i => i.BuyerKey).ToDictionary(g => g.Key, g => g.Count());
        var smePopularity = input.Smes.Select(s => (float)bySme.GetValueOrDefault(s.Key)).ToArray();
        var buyerPopularity = input.Buyers.Select(b => (float)byBuyer.GetValueOrDefault(b.Key)).ToArray();
        return new EventReplay(eventDbId.Value, eventId, features, positive, smePopularity, buyerPopularity, earlierIds, interactions.Count);
    }

    /// <summary>The SME × buyer matrix of the popularity baseline: per SME the buyers with most past good outcomes
    /// first, per buyer the SMEs with most past good outcomes first.</summary>
    public static double[] PopularityScores(EventReplay replay)
    {
        int nS = replay.Features.SmeCount, nB = replay.Features.BuyerCount;
        var scores = new double[nS * nB];
        for (var s = 0; s < nS; s++)
            for (var b = 0; b < nB; b++)
                scores[s * nB + b] = replay.SmePopularity[s] + replay.BuyerPopularity[b];
        return scores;
    }

    public static ScoringWeights ContentOnlyOf(ScoringWeights weights) => weights with { Collaborative = 0, Relationship = 0 };

    public static ScoringWeights CollaborativeOnlyOf(ScoringWeights weights) =>
        weights with { Text = 0, Industry = 0, Certification = 0, Region = 0, Size = 0, Export = 0, Relationship = 0, Collaborative = 1 };

    /// <summary>Metrics of a score matrix (SME-major, NaN = not proposed) against the event's good outcomes.</summary>
    public static RankingMetrics Evaluate(EventReplay replay, double[] scores, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var f = replay.Features;
        int nS = f.SmeCount, nB = f.BuyerCount;
        var buyerIds = f.Input.Buyers.Select(b => b.Id).ToArray();
        var smeIds = f.Input.Smes.Select(s => s.Id).ToArray();
        var exposure = new int[nS];
        var buyerSeen = new bool[nB];
        var perSme = Side(nS, nB, (s, b) => s * nB + b, buyerIds, (s, b) => buyerSeen[b] = true);
        var perBuyer = Side(nB, nS, (b, s) => s * nB + b, smeIds, (b, s) => exposure[s]++);
        return new RankingMetrics(k, perSme.Ndcg, perSme.Precision, perSme.Recall, perSme.Evaluated, perBuyer.Ndcg, perBuyer.Precision,
            perBuyer.Recall, perBuyer.Evaluated, nS == 0 ? 0 : exposure.Count(e => e > 0) / (double)nS,
            nB == 0 ? 0 : buyerSeen.Count(x => x) / (double)nB, Gini(exposure));

        (double Ndcg, double Precision, double Recall, int Evaluated) Side(int rows, int cols, Func<int, int, int> cell, long[] colIds, Action<int, int> seen)
        {
            double ndcg = 0, precision = 0, recall = 0;
            var evaluated = 0;
            var order = new int[cols];
            var keys = new double[cols];
            for (var r = 0; r < rows; r++)
            {
                var positives = 0;
                for (var c = 0; c < cols; c++)
                {
                    order[c] = c;
                    var v = scores[cell(r, c)];
                    keys[c] = double.IsNaN(v) ? double.NegativeInfinity : v;
                    if (replay.Positive[cell(r, c)]) positives++;
                }
                Array.Sort(order, (x, y) => keys[x] != keys[y] ? keys[y].CompareTo(keys[x]) : colIds[x].CompareTo(colIds[y]));
                var top = Math.Min(k, cols);
                for (var i = 0; i < top; i++)
                    if (!double.IsNegativeInfinity(keys[order[i]])) seen(r, order[i]);
                if (positives == 0) continue;
                evaluated++;
                double dcg = 0, ideal = 0;
                var hits = 0;
                for (var i = 0; i < top; i++)
                {
                    if (replay.Positive[cell(r, order[i])] && !double.IsNegativeInfinity(keys[order[i]])) { dcg += 1 / Math.Log2(i + 2); hits++; }
                    if (i < positives) ideal += 1 / Math.Log2(i + 2);
                }
                ndcg += dcg / ideal;
                precision += hits / (double)k;
                recall += hits / (double)positives;
            }
            return evaluated == 0 ? (0, 0, 0, 0) : (ndcg / evaluated, precision / evaluated, recall / evaluated, evaluated);
        }
    }

    /// <summary>Gini coefficient of non-negative counts (0 when all equal or all zero).</summary>
    public static double Gini(IReadOnlyList<int> counts)
    {
        var sorted = counts.Order().ToArray();
        var n = sorted.Length;
        var total = sorted.Sum(x => (double)x);
        if (n == 0 || total == 0) return 0;
        var weighted = 0.0;
        for (var i = 0; i < n; i++) weighted += (2.0 * (i + 1) - n - 1) * sorted[i];
        return weighted / (n * total);
    }

    /// <summary>Each named profile on each event, beside the popularity, content-only and CF-only baselines (derived
    /// from the first profile).</summary>
    public static IReadOnlyList<RankingResult> Compare(EventReplay replay, IReadOnlyList<(string Name, ScoringWeights Weights)> profiles, int k,
        bool baselines = true)
    {
        var results = profiles.Select(p => new RankingResult(p.Name, replay.EventId, Evaluate(replay, replay.Features.Combine(p.Weights), k))).ToList();
        if (!baselines || profiles.Count == 0) return results;
        var first = profiles[0].Weights;
        results.Add(new(Popularity, replay.EventId, Evaluate(replay, PopularityScores(replay), k)));
        results.Add(new(ContentOnly, replay.EventId, Evaluate(replay, replay.Features.Combine(ContentOnlyOf(first)), k)));
        results.Add(new(CollaborativeOnly, replay.EventId, Evaluate(replay, replay.Features.Combine(CollaborativeOnlyOf(first)), k)));
        return results;
    }

    /// <summary>
    /// Fits component weights on <paramref name="fit"/> (earlier events) by seeded random search over the simplex
    /// followed by coordinate refinement, maximising mean NDCG@k; both certification rules are tried. The held-out
    /// event is only scored afterwards, with the fitted weights, the base weights and the baselines.
    /// </summary>
    public static WeightSearchReport Search(IReadOnlyList<EventReplay> fit, EventReplay heldOut, ScoringWeights baseWeights, int k, int candidates, ulong seed)
    {
        if (fit.Any(f => f.EventDbId == heldOut.EventDbId)) throw new ArgumentException("the held-out event cannot be among the fitted ones", nameof(heldOut));
        double Objective(ScoringWeights w) => fit.Average(r => Evaluate(r, r.Features.Combine(w), k).Objective);
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var best = baseWeights;
        var bestScore = Objective(baseWeights);
        var baseScore = bestScore;
        var w = new double[MatchComponents.Count];
        for (var i = 0; i < candidates; i++)
        {
            for (var c = 0; c < w.Length; c++) w[c] = random.NextDouble() < 0.25 ? 0 : -Math.Log(1 - random.NextDouble()); // sparse Dirichlet(1)
            var sum = w.Sum();
            if (sum <= 0) continue;
            for (var c = 0; c < w.Length; c++) w[c] = Math.Round(w[c] / sum, 3);
            var candidate = baseWeights.WithWeights(w) with { CertificationRule = random.Next(2) == 0 ? CertificationRule.Penalty : CertificationRule.HardFilter };
            if (candidate.Validate().Count > 0) continue;
            var score = Objective(candidate);
            if (score > bestScore) (best, bestScore) = (candidate, score);
        }
        foreach (var step in new[] { 0.1, 0.05, 0.02 })
            for (var c = 0; c < MatchComponents.Count; c++)
                foreach (var direction in new[] { 1.0, -1.0 })
                {
                    var current = best.Weights();
                    current[c] = Math.Round(Math.Clamp(current[c] + direction * step, 0, 1), 3);
                    var candidate = best.WithWeights(current);
                    if (candidate.Validate().Count > 0) continue;
                    var score = Objective(candidate);
                    if (score > bestScore) (best, bestScore) = (candidate, score);
                }
        var results = Compare(heldOut, [("fitted", best), ("base", baseWeights)], k).ToList();
        return new WeightSearchReport(fit.Select(f => f.EventId).ToList(), heldOut.EventId, candidates, seed, best, bestScore, baseScore, results);
    }
}
