using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

public class ImplicitAlsTrainerTests
{
    [Fact]
    public void Thread_count_does_not_change_the_factors()
    {
        var data = TestData.RandomSparse(50, 40, 600, seed: 4);
        var options = new ImplicitAlsOptions { Factors = 6, Iterations = 3, Seed = 1 };
        var one = ImplicitAlsTrainer.Train(data, options, TestData.Time);
        var three = ImplicitAlsTrainer.Train(data, options with { Threads = 3 }, TestData.Time);
        three.UserFactors.Should().Equal(one.UserFactors);
        three.ItemFactors.Should().Equal(one.ItemFactors);
    }

    [Fact]
    public void A_decline_scores_below_an_unseen_pair_of_the_same_taste()
    {
        // two groups of SMEs with the same buyers; s0 declined b1, which its group otherwise likes
        var cells = new List<(int, int, float)>();
        for (var u = 0; u < 6; u++)
            for (var i = 0; i < 4; i++)
                if ((u < 3) == (i < 2) && !(u is 0 or 1 && i == 1)) cells.Add((u, i, 1));
        cells.Add((0, 1, -4)); // s0 declined b1; s1 simply never met b1
        var data = TestData.FromCells([.. cells]);
        var model = ImplicitAlsTrainer.Train(data, new ImplicitAlsOptions { Factors = 2, Lambda = 0.1f, Alpha = 5 }, TestData.Time);
        model.Predict("u0", "i1")!.Value.Should().BeLessThan(model.Predict("u1", "i1")!.Value);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        var data = TestData.RandomSparse(5, 5, 10, seed: 1);
        foreach (var bad in new[]
                 {
                     new ImplicitAlsOptions { Factors = 0 }, new ImplicitAlsOptions { Lambda = -1 },
                     new ImplicitAlsOptions { Alpha = float.NaN }, new ImplicitAlsOptions { ConjugateGradientSteps = 0 },
                 })
            FluentActions.Invoking(() => ImplicitAlsTrainer.Train(data, bad, TestData.Time))
                .Should().Throw<ArgumentOutOfRangeException>();
    }
}
