using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

public class EvaluationTests
{
    /// <summary>Fixed scores per item (same for every user), with user u2 cold.</summary>
    private static UserScorer Fixed(params float[] scores) => (user, output) =>
    {
        if (user == 2) { output.Clear(); return false; }
        scores.CopyTo(output);
        return true;
    };

    [Fact]
    public void Ranking_metrics_match_a_hand_computed_case()
    {
        // items 0..4; user 0 trained on item 0, tests 1 and 3; user 1 trained on 4, tests 0
        var users = new IdIndex(["0", "1"]);
        var items = new IdIndex(["0", "1", "2", "3", "4"]);
        var train = new RatingSet(users, items, [new(0, 0, 1), new(1, 4, 1)]);
        var test = new RatingSet(users, items, [new(0, 1, 1), new(0, 3, 1), new(1, 0, 1)]);
        // scores: item0 .9, item1 .8, item2 .7, item3 .1, item4 .95
        var report = Evaluation.Ranking(train, test, Fixed(0.9f, 0.8f, 0.7f, 0.1f, 0.95f), k: 2);

        // user 0: candidates 1,2,3,4 → top-2 = [4, 1]: one hit of two → recall 1/2, DCG = 1/log2(3), IDCG = 1 + 1/log2(3)
        // user 1: candidates 0..3 → top-2 = [0, 1]: hit at rank 1 → recall 1, NDCG 1
        report.Users.Should().Be(2);
        report.RecallAtK.Should().BeApproximately((0.5 + 1) / 2, 1e-9);
        var ndcg0 = (1 / Math.Log2(3)) / (1 + 1 / Math.Log2(3));
        report.NdcgAtK.Should().BeApproximately((ndcg0 + 1) / 2, 1e-9);
        report.PrecisionAtK.Should().BeApproximately((0.5 + 0.5) / 2, 1e-9);
        report.HitRateAtK.Should().Be(1);
        // AUC user 0: item1 beats negatives {2} not {4} → 1/2; item3 beats none → 0 → mean 1/4; user 1: 1 → 5/8
        report.Auc.Should().BeApproximately((0.25 + 1) / 2, 1e-9);
        // MAP: user 0: hit at 2 → (1/2)/2; user 1: 1
        report.MapAtK.Should().BeApproximately((0.25 + 1) / 2, 1e-9);
        report.Coverage.Should().BeApproximately(3 / 5.0, 1e-9); // items 4, 1, 0
    }

    [Fact]
    public void Ties_break_by_numeric_id_and_count_half_in_auc()
    {
        var users = new IdIndex(["0"]);
        var items = new IdIndex(["10", "2", "1"]); // insertion order differs from id order on purpose
        var train = new RatingSet(users, items, []);
        var test = new RatingSet(users, items, [new(0, 0, 1)]); // the positive is "10"
        var report = Evaluation.Ranking(train, test, Fixed(1, 1, 1), k: 1);
        report.RecallAtK.Should().Be(0, "all scores tie, so the top-1 is the smallest id, \"1\"");
        report.Auc.Should().Be(0.5);
    }

    [Fact]
    public void Popularity_scores_by_training_count()
    {
        var data = TestData.FromCells((0, 0, 1), (1, 0, 1), (1, 1, 1), (2, 2, 1), (3, 2, 1), (4, 2, 1));
        var scores = new float[3];
        Evaluation.PopularityScorer(data)(0, scores).Should().BeTrue();
        scores.Should().Equal(2, 1, 3);
    }

    [Fact]
    public void Rating_error_uses_the_fallback_for_cold_cells()
    {
        var train = TestData.FromCells((0, 0, 4), (1, 1, 2));
        var model = ExplicitMfTrainer.Train(train, new ExplicitMfOptions { Iterations = 200, Factors = 2, Lambda = 0 }, TestData.Time);
        var test = RatingSet.FromTriples([("u0", "i0", 4f), ("u9", "i0", 1f)]);
        var report = Evaluation.RatingError(model, test, coldFallback: 3);
        report.Cold.Should().Be(1);
        // cold cell errs by 2; the warm one by almost 0
        report.Rmse.Should().BeApproximately(Math.Sqrt(4 / 2.0), 0.05);
        report.Mae.Should().BeApproximately(1, 0.05);
    }

    [Fact]
    public void Item_mean_baseline_predicts_each_items_training_mean()
    {
        var users = new IdIndex(["a", "b"]);
        var items = new IdIndex(["x", "y", "z"]);
        var train = new RatingSet(users, items, [new(0, 0, 4), new(1, 0, 2), new(0, 1, 5)]);
        var test = new RatingSet(users, items, [new(1, 1, 4), new(1, 2, 3)]); // y: mean 5; z: unseen → global 11/3
        var report = Evaluation.ItemMeanBaselineError(train, test);
        report.Cold.Should().Be(1);
        report.Mae.Should().BeApproximately((1 + 2 / 3.0) / 2, 1e-9);
    }

    [Fact]
    public void Random_split_reproduces_split_py_and_depends_on_the_seed()
    {
        var data = TestData.RandomSparse(30, 30, 200, seed: 1);
        var (train, test) = Splits.Random(data, 0.2, seed: 20240611);
        test.Count.Should().Be(40);
        train.Count.Should().Be(160);
        var again = Splits.Random(data, 0.2, seed: 20240611).Test;
        again.Ratings.Should().Equal(test.Ratings);
        Splits.Random(data, 0.2, seed: 1).Test.Ratings.Should().NotEqual(test.Ratings);
        // split.py: the permutation of 5 items with seed 20240611 (computed with the Python tool)
        SplitMix64.Permutation(5, 20240611).Should().Equal(SplitPyPermutationOf5);
    }

    // python3 -c "import sys; sys.path.insert(0,'<shared tools>/mf'); import split; print(split.perm(5, 20240611))"
    private static readonly int[] SplitPyPermutationOf5 = [4, 1, 2, 0, 3];

    [Fact]
    public void Temporal_split_cuts_at_the_given_time()
    {
        var data = TestData.FromCells((0, 0, 1), (0, 1, 1), (1, 0, 1));
        var t0 = new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var (train, test) = Splits.Temporal(data, [t0.AddDays(-1), t0, t0.AddDays(1)], t0);
        train.Ratings.Should().Equal(data.Ratings[0]);
        test.Ratings.Should().Equal(data.Ratings[1], data.Ratings[2]);
    }
}
