using Dapper;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Reference;

namespace Matchmaker.Core.Tests.Matching;

/// <summary>The learned pair model on the sample events: trained on past-2023 and past-2024, applied to past-2025.</summary>
public sealed class LearnedPairFixture : IAsyncLifetime
{
    public SampleStore Store { get; } = new();
    public List<LabelledPair> Rows { get; private set; } = [];
    public PairExample[] HeldOut { get; private set; } = [];
    public static readonly PairModelOptions Options = new();

    public async Task InitializeAsync()
    {
        await Store.InitializeAsync();
        await using var connection = await Store.Database.OpenAsync();
        var ids = (await ScoringData.EventsInOrderAsync(connection)).ToDictionary(e => e.EventId, e => e.Id);
        (Rows, _) = await PairTrainingData.FromEventsAsync(connection, [ids["past-2023"], ids["past-2024"]], ScoringWeights.Default, Options);
        var earlier = await ScoringData.EarlierEventsAsync(connection, ids["past-2025"]);
        var history = (await ScoringData.InteractionsAsync(connection, earlier)).Select(i => i.Interaction).ToList();
        var input = await ScoringData.LoadAsync(connection, ids["past-2025"], history, model: null);
        var features = EventFeatures.Compute(input, ScoringWeights.Default, KsicCatalog.Default, threads: 2);
        // Every 7th pair of the held-out event: a few thousand pairs of every kind, quick to score.
        HeldOut = PairExamples.ForEvent(features, ScoringWeights.Default).OfType<PairExample>().Where((_, i) => i % 7 == 0).ToArray();
    }

    public Task DisposeAsync() => Store.DisposeAsync();
}

public class LearnedPairModelTests(LearnedPairFixture fixture) : IClassFixture<LearnedPairFixture>
{
    LearnedPairModel Train(PairModelTrainer trainer, PairModelOptions? options = null) =>
        LearnedPairModel.Train(fixture.Rows, options ?? LearnedPairFixture.Options, trainer, TimeProvider.System);

    [Fact]
    public void Training_rows_come_from_past_outcomes_with_graded_positives_and_sampled_negatives()
    {
        var rows = fixture.Rows;
        rows.Should().NotBeEmpty();
        rows.Select(r => r.Grade).Distinct().Should().Contain([0, 1, 2, 3]).And.OnlyContain(g => g >= 0 && g <= 5);
        rows.GroupBy(r => r.Group).Should().OnlyContain(g => g.Any(r => r.Grade > 0), "an SME without a positive teaches a ranking nothing");
        rows.Select(r => r.Group).Should().BeInAscendingOrder("LightGBM needs each group's rows together");
        rows.Should().OnlyContain(r => r.Example.Numbers.Length == PairFields.Numeric && r.Example.Numbers.All(x => x >= 0 && x <= 1));
    }

    [Theory]
    [InlineData(PairModelTrainer.Ffm)]
    [InlineData(PairModelTrainer.LightGbm)]
    public void A_learned_explanation_adds_up_to_the_score(PairModelTrainer trainer)
    {
        var model = Train(trainer);
        var scores = model.Score(fixture.HeldOut);
        scores.Should().HaveCount(fixture.HeldOut.Length);
        foreach (var s in scores)
        {
            s.Score.Should().BeInRange(0, 1);
            (s.Parts.Sum() + s.Baseline).Should().BeApproximately(s.Score, 1e-9);
        }
        // Not a constant: the model ranks pairs apart, and every field but the baseline gets a part somewhere.
        scores.Select(s => s.Score).Distinct().Count().Should().BeGreaterThan(fixture.HeldOut.Length / 10);
        Enumerable.Range(0, PairFields.Numeric).Count(f => scores.Any(s => Math.Abs(s.Parts[f]) > 1e-6)).Should().BeGreaterThan(2);
    }

    [Theory]
    [InlineData(PairModelTrainer.Ffm)]
    [InlineData(PairModelTrainer.LightGbm)]
    public void The_per_field_terms_add_up_to_what_mlnet_itself_predicts(PairModelTrainer trainer)
    {
        var model = Train(trainer);
        foreach (var example in fixture.HeldOut.Take(50))
        {
            var mine = model.Score(example);
            var raw = model.PredictRaw(example);
            mine.Score.Should().BeApproximately(1 / (1 + Math.Exp(-raw)), 1e-5);
        }
    }

    [Fact]
    public void The_tree_models_baseline_is_its_constant_not_a_per_pair_plug()
    {
        var scores = Train(PairModelTrainer.LightGbm).Score(fixture.HeldOut);
        // The baseline is σ of the trees' root values: the same for every pair, so the parts carry all that differs.
        var raw = scores.Select(s => Math.Log(s.Baseline / (1 - s.Baseline))).ToList();
        (raw.Max() - raw.Min()).Should().BeLessThan(1e-6);
    }

    [Theory]
    [InlineData(PairModelTrainer.Ffm)]
    [InlineData(PairModelTrainer.LightGbm)]
    public void A_saved_model_reloads_to_identical_scores(PairModelTrainer trainer)
    {
        var model = Train(trainer);
        using var file = new MemoryStream();
        model.Save(file);
        file.Position = 0;
        var loaded = LearnedPairModel.Load(file);
        loaded.Trainer.Should().Be(trainer);
        loaded.Info.Should().Be(model.Info);
        var (before, after) = (model.Score(fixture.HeldOut), loaded.Score(fixture.HeldOut));
        for (var i = 0; i < before.Length; i++)
        {
            after[i].Score.Should().Be(before[i].Score);
            after[i].Parts.Should().Equal(before[i].Parts);
        }
    }

    [Theory]
    [InlineData(PairModelTrainer.Ffm)]
    [InlineData(PairModelTrainer.LightGbm)]
    public void Retraining_with_the_same_seed_gives_the_same_model(PairModelTrainer trainer)
    {
        var (a, b) = (Train(trainer).Score(fixture.HeldOut), Train(trainer).Score(fixture.HeldOut));
        a.Select(s => s.Score).Should().Equal(b.Select(s => s.Score));
        a.Select(s => s.Parts).Should().BeEquivalentTo(b.Select(s => s.Parts), o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Training_rows_drawn_twice_with_one_seed_are_the_same_rows()
    {
        await using var connection = await fixture.Store.Database.OpenAsync();
        var ids = (await ScoringData.EventsInOrderAsync(connection)).ToDictionary(e => e.EventId, e => e.Id);
        var (again, _) = await PairTrainingData.FromEventsAsync(connection, [ids["past-2023"], ids["past-2024"]], ScoringWeights.Default, LearnedPairFixture.Options);
        PairTrainingData.Fingerprint("", again).Should().Be(PairTrainingData.Fingerprint("", fixture.Rows));
        var (other, _) = await PairTrainingData.FromEventsAsync(connection, [ids["past-2023"], ids["past-2024"]], ScoringWeights.Default,
            LearnedPairFixture.Options with { Seed = 7 });
        PairTrainingData.Fingerprint("", other).Should().NotBe(PairTrainingData.Fingerprint("", fixture.Rows), "the seed draws the negatives");
    }

    [Fact]
    public void A_model_file_of_another_kind_or_version_is_refused_by_name()
    {
        FluentActions.Invoking(() => LearnedPairModel.Load(new MemoryStream("MMMF not this"u8.ToArray())))
            .Should().Throw<InvalidDataException>().WithMessage("*learned pair model*");
        var bytes = new MemoryStream();
        Train(PairModelTrainer.Ffm).Save(bytes);
        var raw = bytes.ToArray();
        BitConverter.GetBytes(99).CopyTo(raw, 4);
        FluentActions.Invoking(() => LearnedPairModel.Load(new MemoryStream(raw)))
            .Should().Throw<InvalidDataException>().WithMessage("*version 99*");
    }

    [Fact]
    public void A_category_never_seen_in_training_adds_nothing()
    {
        var model = Train(PairModelTrainer.Ffm);
        var known = fixture.HeldOut[0];
        var unknown = known with { Buyer = "no-such-buyer", BuyerSector = "no-such-sector" };
        var s = model.Score(unknown);
        s.Parts[(int)PairField.Buyer].Should().NotBe(double.NaN);
        (s.Parts.Sum() + s.Baseline).Should().BeApproximately(s.Score, 1e-9);
        model.Vocabulary(PairField.Buyer).Should().NotContain("no-such-buyer");
    }
}
