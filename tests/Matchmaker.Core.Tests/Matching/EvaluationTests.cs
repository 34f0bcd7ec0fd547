using Matchmaker.Core.Matching;
using Matchmaker.Core.Reference;
using static Matchmaker.Core.Tests.Matching.MatchingExamples;

namespace Matchmaker.Core.Tests.Matching;

public class ReplayMetricTests
{
    static EventReplay Replay(params (int Sme, int Buyer)[] positives)
    {
        var features = EventFeatures.Compute(Input(), ScoringWeights.Default, KsicCatalog.Default);
        var positive = new bool[features.SmeCount * features.BuyerCount];
        foreach (var (s, b) in positives) positive[s * features.BuyerCount + b] = true;
        return new EventReplay(1, "tiny", features, positive, [0, 0, 0], [0, 0], [], 0);
    }

    [Fact]
    public void Ndcg_precision_and_recall_follow_their_definitions_on_a_tiny_ranking()
    {
        // 3 SMEs × 2 buyers. SME 0 likes buyer 1 best but its good meeting was with buyer 0.
        var replay = Replay((0, 0), (1, 1));
        double[] scores = [0.2, 0.9, /* SME 1 */ 0.1, 0.8, /* SME 2 */ 0.5, 0.5];
        var m = ReplayEvaluation.Evaluate(replay, scores, k: 1);
        m.SmesWithPositives.Should().Be(2);
        m.NdcgPerSme.Should().BeApproximately((0 + 1) / 2.0, 1e-12); // SME 0 misses at rank 1, SME 1 hits
        m.PrecisionPerSme.Should().BeApproximately(0.5, 1e-12);
        var k2 = ReplayEvaluation.Evaluate(replay, scores, k: 2);
        k2.NdcgPerSme.Should().BeApproximately((1 / Math.Log2(3) + 1) / 2, 1e-12);
        k2.RecallPerSme.Should().Be(1);
        // Per buyer: buyer 0 ranks SME 2 (0.5), SME 0 (0.2), SME 1 (0.1) and its good meeting (SME 0) is second;
        // buyer 1 ranks SME 0 (0.9), SME 1 (0.8): its good meeting (SME 1) is second too.
        k2.NdcgPerBuyer.Should().BeApproximately(1 / Math.Log2(3), 1e-12);
    }

    [Fact]
    public void Ties_are_broken_by_id_and_unproposed_pairs_rank_last()
    {
        var replay = Replay((2, 1));
        var tie = ReplayEvaluation.Evaluate(replay, [0, 0, 0, 0, 0.5, 0.5], k: 1);
        tie.NdcgPerSme.Should().Be(0, "equal scores: the lower buyer id (buyer 0) comes first");
        var filtered = ReplayEvaluation.Evaluate(replay, [0, 0, 0, 0, 0.5, double.NaN], k: 2);
        filtered.RecallPerSme.Should().Be(0, "a pair the hard filter removed is never recommended");
    }

    [Fact]
    public void Gini_is_0_for_equal_exposure_and_near_1_when_one_takes_all()
    {
        ReplayEvaluation.Gini([3, 3, 3, 3]).Should().Be(0);
        ReplayEvaluation.Gini([0, 0, 0, 12]).Should().BeApproximately(0.75, 1e-12);
        ReplayEvaluation.Gini([]).Should().Be(0);
    }

    [Fact]
    public void A_weight_search_refuses_to_report_on_an_event_it_fitted()
    {
        var replay = Replay((0, 0));
        var act = () => ReplayEvaluation.Search([replay], replay, ScoringWeights.Default, 10, 5, 1);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_pool_matcher_agrees_with_the_event_scorer_on_content()
    {
        var input = Input();
        var weights = ReplayEvaluation.ContentOnlyOf(ScoringWeights.Default);
        var features = EventFeatures.Compute(input, weights, KsicCatalog.Default);
        var top = PoolMatcher.TopDemands(features.Content, weights, k: 2, threads: 2);
        var values = new double[MatchComponents.Count];
        var parts = new double[MatchComponents.Count];
        for (var s = 0; s < features.SmeCount; s++)
        {
            var expected = Enumerable.Range(0, features.DemandCount).Select(d =>
            {
                features.Values(s, d, weights, values);
                values[(int)MatchComponent.Collaborative] = double.NaN;
                return (Demand: d, Score: MatchExplanation.Combine(weights, values, parts));
            }).OrderByDescending(x => x.Score).ThenBy(x => x.Demand).ToList();
            for (var r = 0; r < 2; r++)
            {
                top.Demands[s * 2 + r].Should().Be(expected[r].Demand);
                top.Scores[s * 2 + r].Should().BeApproximately((float)expected[r].Score, 1e-5f);
            }
        }
    }
}
