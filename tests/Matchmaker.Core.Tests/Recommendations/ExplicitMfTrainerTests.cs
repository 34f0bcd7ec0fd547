using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

public class ExplicitMfTrainerTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Threads_only_change_speed_not_the_factors_on_the_same_grid(int threads)
    {
        var data = TestData.RandomSparse(80, 70, 2000, seed: 21);
        var serial = new ExplicitMfOptions { Factors = 8, Iterations = 5, Bins = 5, Threads = 1, Seed = 2 };
        var a = ExplicitMfTrainer.Train(data, serial, TestData.Time);
        var b = ExplicitMfTrainer.Train(data, serial with { Threads = threads }, TestData.Time);
        b.UserFactors.Should().Equal(a.UserFactors);
        b.ItemFactors.Should().Equal(a.ItemFactors);
    }

    [Fact]
    public void Non_negative_factors_stay_non_negative_and_fit_decently()
    {
        var data = TestData.LowRank(10, 8, rank: 2, seed: 5);
        var model = ExplicitMfTrainer.Train(data,
            new ExplicitMfOptions { Factors = 4, Iterations = 300, Lambda = 0, NonNegative = true }, TestData.Time);
        model.UserFactors.Should().OnlyContain(x => x >= 0);
        model.ItemFactors.Should().OnlyContain(x => x >= 0);
        Evaluation.RatingError(model, data, 0).Rmse.Should().BeLessThan(0.1);
    }

    [Fact]
    public void Regularisation_shrinks_the_factors()
    {
        var data = TestData.RandomSparse(30, 30, 300, seed: 8);
        double Norm(float lambda) => ExplicitMfTrainer.Train(data,
            new ExplicitMfOptions { Lambda = lambda, Iterations = 30 }, TestData.Time).UserFactors.Sum(x => (double)x * x);
        Norm(5f).Should().BeLessThan(Norm(0.01f) / 2);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        var data = TestData.RandomSparse(5, 5, 10, seed: 1);
        foreach (var bad in new[]
                 {
                     new ExplicitMfOptions { Factors = 0 }, new ExplicitMfOptions { LearningRate = 0 },
                     new ExplicitMfOptions { Lambda = -1 }, new ExplicitMfOptions { Threads = 0 },
                 })
            FluentActions.Invoking(() => ExplicitMfTrainer.Train(data, bad, TestData.Time))
                .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Load_rejects_other_data_and_future_versions()
    {
        FluentActions.Invoking(() => MfModel.Load(new MemoryStream("not a model"u8.ToArray())))
            .Should().Throw<InvalidDataException>().WithMessage("*Not a Matchmaker MF model*");
        var bytes = new MemoryStream();
        ExplicitMfTrainer.Train(TestData.RandomSparse(5, 5, 10, 1), new ExplicitMfOptions(), TestData.Time).Save(bytes);
        var raw = bytes.ToArray();
        raw[4] = 99; // version field follows the 4-byte magic
        FluentActions.Invoking(() => MfModel.Load(new MemoryStream(raw)))
            .Should().Throw<InvalidDataException>().WithMessage("*version 99*");
    }

    [Fact]
    public void Fingerprint_changes_with_the_data()
    {
        var a = TestData.FromCells((0, 0, 1), (1, 1, 2));
        var b = TestData.FromCells((0, 0, 1), (1, 1, 3));
        a.Fingerprint().Should().Be(TestData.FromCells((0, 0, 1), (1, 1, 2)).Fingerprint());
        a.Fingerprint().Should().NotBe(b.Fingerprint());
    }
}
