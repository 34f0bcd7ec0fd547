using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

/// <summary>Behaviour every factorisation model must show, whichever trainer made it.</summary>
public class ModelContractTests
{
    /// <summary>A named way to train a model (so each contract runs once per trainer).</summary>
    public sealed record Trainer(string Name, Func<RatingSet, int, float, int, ulong, MfModel> Train, bool Explicit)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Trainer> Trainers() =>
    [
        new Trainer("explicit-sgd", (data, k, lambda, threads, seed) => ExplicitMfTrainer.Train(data,
            new ExplicitMfOptions { Factors = k, Lambda = lambda, Iterations = 400, LearningRate = 0.1f, Threads = threads, Seed = seed },
            TestData.Time), Explicit: true),
        new Trainer("explicit-sgd-biases", (data, k, lambda, threads, seed) => ExplicitMfTrainer.Train(data,
            new ExplicitMfOptions { Factors = k, Lambda = lambda, Iterations = 400, LearningRate = 0.1f, UseBiases = true, BiasLambda = lambda, Threads = threads, Seed = seed },
            TestData.Time), Explicit: true),
        new Trainer("implicit-als", (data, k, lambda, threads, seed) => ImplicitAlsTrainer.Train(data,
            new ImplicitAlsOptions { Factors = k, Lambda = Math.Max(lambda, 1e-3f), Iterations = 30, Alpha = 10, ConjugateGradientSteps = k, Threads = threads, Seed = seed },
            TestData.Time), Explicit: false),
    ];

    [Theory, MemberData(nameof(Trainers))]
    public void Reconstructs_a_tiny_matrix_when_rank_equals_columns_and_lambda_is_zero(Trainer trainer)
    {
        if (trainer.Explicit)
        {
            var data = TestData.LowRank(m: 6, n: 3, rank: 2, seed: 7);
            var model = trainer.Train(data, 3, 0f, 1, 1);
            foreach (var r in data.Ratings)
                model.Predict(data.Users[r.User], data.Items[r.Item])!.Value.Should().BeApproximately(r.Value, 0.05f);
        }
        else
        {
            // a permutation-like 0/1 pattern: with k = columns the preference matrix itself is reachable
            var data = TestData.FromCells((0, 0, 1), (1, 1, 1), (2, 2, 1), (3, 0, 1), (3, 1, 1));
            var model = trainer.Train(data, 3, 0f, 1, 1);
            for (var u = 0; u < 4; u++)
                for (var i = 0; i < 3; i++)
                {
                    var observed = data.Ratings.Any(r => data.Users[r.User] == $"u{u}" && data.Items[r.Item] == $"i{i}");
                    var score = model.Predict($"u{u}", $"i{i}")!.Value;
                    if (observed) score.Should().BeGreaterThan(0.9f, $"u{u} i{i} is observed");
                    else score.Should().BeLessThan(0.1f, $"u{u} i{i} is not");
                }
        }
    }

    [Theory, MemberData(nameof(Trainers))]
    public void Recommends_the_withheld_diagonal_of_a_checkerboard(Trainer trainer)
    {
        const int size = 8;
        var data = trainer.Explicit ? TestData.Checkerboard(size, 5, 1) : TestData.Checkerboard(size, 1, null);
        var model = trainer.Train(data, 2, 0.01f, 1, 3);
        for (var u = 0; u < size; u++)
        {
            var user = $"u{u}";
            if (trainer.Explicit)
            {
                model.Predict(user, $"i{u}")!.Value.Should().BeGreaterThan(4f);
                // the withheld cell must outrank every misfit even though it was never seen
                var top = model.Recommend(user, size / 2);
                top.Select(t => t.ItemId).Should().Contain($"i{u}");
            }
            else
            {
                var seen = data.Ratings.Where(r => data.Users[r.User] == user).Select(r => data.Items[r.Item]);
                model.Recommend(user, 1, seen).Single().ItemId.Should().Be($"i{u}");
            }
        }
    }

    [Theory, MemberData(nameof(Trainers))]
    public void Same_seed_and_threads_give_identical_factors(Trainer trainer)
    {
        var data = TestData.RandomSparse(60, 40, 900, seed: 11);
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var a = trainer.Train(data, 4, 0.1f, threads, 5);
            var b = trainer.Train(data, 4, 0.1f, threads, 5);
            a.UserFactors.Should().Equal(b.UserFactors, $"threads = {threads}");
            a.ItemFactors.Should().Equal(b.ItemFactors);
        }
        var other = trainer.Train(data, 4, 0.1f, 1, 6);
        other.UserFactors.Should().NotEqual(trainer.Train(data, 4, 0.1f, 1, 5).UserFactors, "the seed must matter");
    }

    [Theory, MemberData(nameof(Trainers))]
    public void Save_then_load_gives_identical_predictions_and_metadata(Trainer trainer)
    {
        var data = TestData.RandomSparse(20, 15, 120, seed: 3);
        var model = trainer.Train(data, 3, 0.1f, 1, 9).WithMetrics(new Dictionary<string, double> { ["rmse"] = 0.9 });
        model.Info.DataFingerprint.Should().HaveLength(64);
        model.Info.OptionsJson.Should().Contain("\"Factors\":3");
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = MfModel.Load(stream);

        loaded.Info.Should().BeEquivalentTo(model.Info);
        loaded.Info.Metrics.Should().ContainKey("rmse").WhoseValue.Should().Be(0.9);
        loaded.Kind.Should().Be(model.Kind);
        foreach (var u in data.Users.Ids)
            foreach (var i in data.Items.Ids)
                loaded.Predict(u, i).Should().Be(model.Predict(u, i));
        loaded.Recommend("u1", 5).Should().Equal(model.Recommend("u1", 5));
    }

    [Theory, MemberData(nameof(Trainers))]
    public void Unknown_ids_have_no_score_and_no_recommendations(Trainer trainer)
    {
        var data = TestData.RandomSparse(10, 10, 40, seed: 1);
        var model = trainer.Train(data, 2, 0.1f, 1, 1);
        model.Predict("new-sme", data.Items[0]).Should().BeNull();
        model.Predict(data.Users[0], "new-buyer").Should().BeNull();
        model.Recommend("new-sme", 3).Should().BeEmpty();
        model.Predict(data.Users[0], data.Items[0]).Should().NotBeNull();
    }

    [Theory, MemberData(nameof(Trainers))]
    public void Recommend_excludes_given_items_and_is_sorted_by_score(Trainer trainer)
    {
        var data = TestData.RandomSparse(10, 12, 50, seed: 2);
        var model = trainer.Train(data, 2, 0.1f, 1, 1);
        var all = model.Recommend(data.Users[0], 100);
        all.Should().HaveCount(model.Items.Count);
        all.Select(s => s.Score).Should().BeInDescendingOrder();
        var excluded = all.Take(2).Select(s => s.ItemId).ToArray();
        var rest = model.Recommend(data.Users[0], 100, excluded);
        rest.Select(s => s.ItemId).Should().NotContain(excluded).And.Equal(all.Skip(2).Select(s => s.ItemId));
    }
}
