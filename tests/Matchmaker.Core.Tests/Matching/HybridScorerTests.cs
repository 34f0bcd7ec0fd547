using Matchmaker.Core.Matching;
using Matchmaker.Core.Recommendations;
using Matchmaker.Core.Reference;
using static Matchmaker.Core.Tests.Matching.MatchingExamples;

namespace Matchmaker.Core.Tests.Matching;

public class HybridScorerTests
{
    static EventFeatures Features(ScoringInput? input = null, ScoringWeights? weights = null) =>
        EventFeatures.Compute(input ?? Input(), weights ?? ScoringWeights.Default, KsicCatalog.Default);

    [Fact]
    public void A_mould_demand_finds_the_mould_maker_not_the_welding_shop()
    {
        var pairs = Features().Score(ScoringWeights.Default);
        var forShipyard = pairs.Where(p => p.BuyerId == Shipyard.Id).OrderByDescending(p => p.Score).ToList();
        forShipyard[0].SmeId.Should().Be(MouldMaker.Id);
        var mould = forShipyard[0];
        var welding = forShipyard.Single(p => p.SmeId == WeldingShop.Id);
        mould.Values[(int)MatchComponent.Text].Should().BeGreaterThan(welding.Values[(int)MatchComponent.Text] + 0.1);
        mould.MatchedTerms.Should().Contain(t => t.Contains("금형"));
        mould.MatchedCodes!.Level.Should().Be(5);
    }

    [Fact]
    public void Text_similarity_alone_ranks_the_mould_maker_first_for_a_mould_demand()
    {
        var textOnly = new ScoringWeights { Text = 1, Industry = 0, Certification = 0, Region = 0, Size = 0, Export = 0, Relationship = 0, Collaborative = 0 };
        var pairs = Features(weights: textOnly).Score(textOnly);
        pairs.Where(p => p.BuyerId == Shipyard.Id).MaxBy(p => p.Score)!.SmeId.Should().Be(MouldMaker.Id);
        pairs.Where(p => p.BuyerId == Khnp.Id).MaxBy(p => p.Score)!.SmeId.Should().Be(ValveFoundry.Id);
    }

    [Fact]
    public void The_hard_filter_drops_pairs_missing_a_required_certification_and_the_penalty_keeps_them_lower()
    {
        var hard = ScoringWeights.Default with { CertificationRule = CertificationRule.HardFilter };
        var filtered = Features(weights: hard).Score(hard);
        // The valve foundry has KEPIC but not the nuclear quality grade Q: KHNP's only demand filters it out.
        filtered.Should().NotContain(p => p.BuyerId == Khnp.Id);
        var penalised = Features().Score(ScoringWeights.Default);
        var foundry = penalised.Single(p => p.BuyerId == Khnp.Id && p.SmeId == ValveFoundry.Id);
        foundry.Values[(int)MatchComponent.Certification].Should().Be(0.5);
        foundry.MissingCertifications.Should().Equal("원자력 품질등급 Q");
    }

    [Fact]
    public void Contributions_add_up_to_the_score_and_every_score_is_between_0_and_1()
    {
        var weights = ScoringWeights.Default with { Relationship = 0.3 };
        var history = new[] { new PastInteraction(MouldMaker.Key, Shipyard.Key, "contract"), new PastInteraction(WeldingShop.Key, Shipyard.Key, "no_show") };
        var pairs = Features(Input(TinyModel(), history), weights).Score(weights);
        pairs.Should().HaveCount(6);
        foreach (var pair in pairs)
        {
            pair.Score.Should().BeInRange(0, 1);
            var explanation = MatchExplanation.Build(weights, pair.Values, pair.MatchedTerms, pair.MatchedCodes, pair.MissingCertifications);
            explanation.Score.Should().BeApproximately(pair.Score, 1e-12);
            explanation.Components.Sum(c => c.Contribution).Should().BeApproximately(pair.Score, 1e-9);
            explanation.Components.Should().OnlyContain(c => c.Value == null || (c.Value >= 0 && c.Value <= 1));
            explanation.Components.Should().OnlyContain(c => c.LabelKo.Length > 0 && c.LabelEn.Length > 0);
        }
        pairs.Single(p => p.SmeId == MouldMaker.Id && p.BuyerId == Shipyard.Id).Values[(int)MatchComponent.Relationship].Should().Be(1);
        pairs.Single(p => p.SmeId == WeldingShop.Id && p.BuyerId == Shipyard.Id).Values[(int)MatchComponent.Relationship].Should().Be(0);
    }

    [Fact]
    public void A_pair_the_recommender_has_never_seen_is_scored_on_content_alone_and_says_so()
    {
        var pairs = Features(Input(TinyModel())).Score(ScoringWeights.Default);
        var cold = pairs.Single(p => p.SmeId == ValveFoundry.Id && p.BuyerId == Shipyard.Id); // foundry not in the model
        double.IsNaN(cold.Values[(int)MatchComponent.Collaborative]).Should().BeTrue();
        var explanation = MatchExplanation.Build(ScoringWeights.Default, cold.Values, [], null, []);
        explanation.ColdStart.Should().BeTrue();
        explanation.NoteEn.Should().Contain("content alone");
        explanation.Components.Single(c => c.Component == MatchComponent.Collaborative).Contribution.Should().Be(0);
        var warm = pairs.Single(p => p.SmeId == MouldMaker.Id && p.BuyerId == Shipyard.Id);
        warm.Values[(int)MatchComponent.Collaborative].Should().BeInRange(0, 1);
    }

    [Fact]
    public void The_same_input_gives_the_same_scores_whatever_the_thread_count()
    {
        var one = EventFeatures.Compute(Input(TinyModel()), ScoringWeights.Default, KsicCatalog.Default, threads: 1).Score(ScoringWeights.Default);
        var two = EventFeatures.Compute(Input(TinyModel()), ScoringWeights.Default, KsicCatalog.Default, threads: 2).Score(ScoringWeights.Default);
        two.Select(p => (p.SmeId, p.BuyerId, p.DemandId, p.Score)).Should().Equal(one.Select(p => (p.SmeId, p.BuyerId, p.DemandId, p.Score)));
    }

    [Fact]
    public void A_buyer_without_demands_is_scored_on_its_own_sector_and_codes()
    {
        var input = Input() with { Demands = [MouldDemand] };
        var pairs = Features(input).Score(ScoringWeights.Default);
        var khnp = pairs.Where(p => p.BuyerId == Khnp.Id).ToList();
        khnp.Should().HaveCount(3).And.OnlyContain(p => p.DemandId == null);
    }

    [Fact]
    public void Ksic_levels_follow_the_hierarchy()
    {
        var c = KsicCatalog.Default;
        int Level(string a, string b) => IndustryCode.Level(IndustryCode.Parse(a, c)!.Value, IndustryCode.Parse(b, c)!.Value);
        Level("29293", "29293").Should().Be(5);
        Level("29293", "29294").Should().Be(4);
        Level("29293", "29210").Should().Be(3);
        Level("29293", "29110").Should().Be(2);
        Level("29293", "25113").Should().Be(1);
        Level("29293", "58222").Should().Be(0);
        Level("2929", "29293").Should().Be(4);
        IndustryCode.Parse("C29293", c)!.Value.Code.Should().Be("29293");
    }

    [Fact]
    public void Budget_bands_read_as_team_sizes()
    {
        ContentFeatures.MinEmployees("1억~5억").Should().Be(10);
        ContentFeatures.MinEmployees("5천만 미만").Should().Be(1);
        ContentFeatures.MinEmployees(null).Should().Be(0);
        ContentFeatures.MinEmployees("50억 이상").Should().Be(50);
    }

    [Fact]
    public void Korean_text_gives_character_n_grams_and_latin_words()
    {
        var bag = new TermBag { Text = new() };
        KoreanText.Tokenize("사출금형 ISO 9001", 1f, bag);
        bag.Text!.Values.Should().BeEquivalentTo(["사출", "출금", "금형", "사출금", "출금형", "iso", "9001"]);
    }

    [Fact]
    public void The_inverted_index_agrees_with_the_all_pairs_cosine()
    {
        var input = Input();
        var features = EventFeatures.Compute(input, ScoringWeights.Default, KsicCatalog.Default);
        var content = features.Content;
        for (var s = 0; s < input.Smes.Count; s++)
        {
            var vector = content.SmeVector(s);
            var accumulated = new float[content.DemandCount];
            content.Index.Accumulate(vector, accumulated);
            for (var d = 0; d < content.DemandCount; d++)
                accumulated[d].Should().BeApproximately(TextIndex.Cosine(vector, content.Index.Documents[d]), 1e-5f);
        }
    }

    [Fact]
    public void Weights_out_of_range_are_reported_by_field()
    {
        (ScoringWeights.Default with { Text = 1.5 }).Validate().Select(e => e.Field).Should().Equal("weights.text");
        (ScoringWeights.Default with { Closeness = new IndustryCloseness { Class = -1 } }).Validate().Select(e => e.Field).Should().Equal("closeness.class");
        new ScoringWeights { Text = 0, Industry = 0, Certification = 0, Region = 0, Size = 0, Export = 0, Relationship = 0, Collaborative = 0 }
            .Validate().Select(e => e.Field).Should().Equal("weights");
        ScoringWeights.FromJson(ScoringWeights.Default.ToJson()).Should().Be(ScoringWeights.Default);
    }

    /// <summary>A recommender that knows the mould maker and the welding shop, and both buyers.</summary>
    static MfModel TinyModel()
    {
        var signals = new InteractionSignalWeights();
        var t0 = new DateTimeOffset(2025, 5, 21, 10, 0, 0, TimeSpan.FromHours(9));
        var ratings = signals.ToRatingSet([
            new Interaction(MouldMaker.Key, Shipyard.Key, InteractionKind.ContractSigned, t0),
            new Interaction(WeldingShop.Key, Khnp.Key, InteractionKind.MeetingHeld, t0),
            new Interaction(WeldingShop.Key, Shipyard.Key, InteractionKind.ProfileViewed, t0),
        ]);
        return ImplicitAlsTrainer.Train(ratings, new ImplicitAlsOptions { Factors = 4, Iterations = 5, Lambda = 0.1f, Seed = 1 }, TimeProvider.System);
    }
}
