using Matchmaker.Core.Recommendations;
using Matchmaker.Core.Reference;

namespace Matchmaker.Core.Matching;

/// <summary>The best demand of one buyer for one SME, with its component values and explanation inputs.</summary>
/// <param name="Values">Component values in <see cref="MatchComponents.All"/> order; NaN = none (cold start).</param>
/// <param name="ScoredBy">"weights" (the profile's weights) or the learned model's algorithm (cold pairs only).</param>
/// <param name="LearnedParts">For a learned score: one part per <see cref="PairField"/>, then the baseline; they add up to the score.</param>
public sealed record ScoredPair(long SmeId, long BuyerId, long? DemandId, double Score, double[] Values,
    IReadOnlyList<string> MatchedTerms, MatchedCodes? MatchedCodes, IReadOnlyList<string> MissingCertifications,
    string ScoredBy = ScoredPair.ByWeights, double[]? LearnedParts = null)
{
    public const string ByWeights = "weights";
}

/// <summary>
/// Every component value of every SME × demand pair of one event (content), plus the SME × buyer signals (past
/// relationship, calibrated recommender). They do not depend on the weights, so an analyst's weight search combines
/// them many times without recomputing (<see cref="Combine"/>).
/// </summary>
public sealed class EventFeatures
{
    EventFeatures(ScoringInput input, IReadOnlyList<DemandDoc> demands, ContentFeatures content)
    {
        Input = input; Demands = demands; Content = content;
    }

    public ScoringInput Input { get; }
    public IReadOnlyList<DemandDoc> Demands { get; }
    public ContentFeatures Content { get; }
    public int SmeCount => Input.Smes.Count;
    public int BuyerCount => Input.Buyers.Count;
    public int DemandCount => Demands.Count;

    /// <summary>Buyer index of each demand.</summary>
    public int[] DemandBuyer { get; private set; } = [];
    public float[] Text { get; private set; } = [];
    public byte[] Level { get; private set; } = [];
    public float[] Certification { get; private set; } = [];
    public bool[] CertificationMissing { get; private set; } = [];
    public float[] Region { get; private set; } = [];
    public float[] Size { get; private set; } = [];
    public float[] Export { get; private set; } = [];
    /// <summary>SME × buyer (row-major by SME).</summary>
    public float[] Relationship { get; private set; } = [];
    /// <summary>SME × buyer; NaN where the recommender knows the SME or the buyer not (cold start).</summary>
    public float[] Collaborative { get; private set; } = [];
    TermVector[] _smeVectors = [];

    public static EventFeatures Compute(ScoringInput input, ScoringWeights weights, KsicCatalog catalog, int threads = 1)
    {
        var demands = input.DemandsWithStandIns();
        var content = new ContentFeatures(input.Smes, demands, input.Buyers, weights.KsicNotesWeight, catalog);
        var f = new EventFeatures(input, demands, content);
        int nS = input.Smes.Count, nD = demands.Count, nB = input.Buyers.Count;
        var buyerIndex = input.Buyers.Select((b, i) => (b.Id, i)).ToDictionary(p => p.Id, p => p.i);
        f.DemandBuyer = demands.Select(d => buyerIndex[d.BuyerId]).ToArray();
        f.Text = new float[nS * nD]; f.Level = new byte[nS * nD]; f.Certification = new float[nS * nD];
        f.CertificationMissing = new bool[nS * nD]; f.Region = new float[nS * nD]; f.Size = new float[nS * nD];
        f.Export = new float[nS];
        f._smeVectors = new TermVector[nS];
        Parallel.For(0, nS, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, () => new FeatureRow(nD), (s, _, row) =>
        {
            var vector = content.SmeVector(s);
            f._smeVectors[s] = vector;
            content.ComputeRow(s, vector, row);
            row.Text.CopyTo(f.Text, s * nD); row.Level.CopyTo(f.Level, s * nD); row.Certification.CopyTo(f.Certification, s * nD);
            row.CertificationMissing.CopyTo(f.CertificationMissing, s * nD); row.Region.CopyTo(f.Region, s * nD); row.Size.CopyTo(f.Size, s * nD);
            f.Export[s] = row.Export;
            return row;
        }, _ => { });
        f.Relationship = RelationshipSignal.Compute(input.History, input.Smes, input.Buyers);
        f.Collaborative = CollaborativeSignal.Calibrate(input.Model, input.Smes, input.Buyers);
        return f;
    }

    /// <summary>Component values of one SME × demand pair, in <see cref="MatchComponents.All"/> order.</summary>
    public void Values(int sme, int demand, ScoringWeights weights, Span<double> values)
    {
        var at = sme * DemandCount + demand;
        var pair = sme * BuyerCount + DemandBuyer[demand];
        values[0] = Text[at];
        values[1] = weights.Closeness.ForLevel(Level[at]);
        values[2] = Certification[at];
        values[3] = Region[at];
        values[4] = Size[at];
        values[5] = Export[sme];
        values[6] = Relationship[pair];
        values[7] = Collaborative[pair];
    }

    /// <summary>
    /// The SME × buyer score matrix under a profile: for each pair the best of the buyer's demands (ties: the lower
    /// demand index); NaN where the hard filter removes every demand of the buyer. <paramref name="bestDemand"/> gets
    /// the demand index (−1 when filtered).
    /// </summary>
    public double[] Combine(ScoringWeights weights, int[]? bestDemand = null)
    {
        int nS = SmeCount, nB = BuyerCount, nD = DemandCount;
        var scores = new double[nS * nB];
        Array.Fill(scores, double.NaN);
        if (bestDemand is not null) Array.Fill(bestDemand, -1);
        Span<double> values = stackalloc double[MatchComponents.Count];
        Span<double> parts = stackalloc double[MatchComponents.Count];
        var hard = weights.CertificationRule == CertificationRule.HardFilter;
        for (var s = 0; s < nS; s++)
            for (var d = 0; d < nD; d++)
            {
                if (hard && CertificationMissing[s * nD + d]) continue;
                Values(s, d, weights, values);
                var score = MatchExplanation.Combine(weights, values, parts);
                var cell = s * nB + DemandBuyer[d];
                if (double.IsNaN(scores[cell]) || score > scores[cell])
                {
                    scores[cell] = score;
                    if (bestDemand is not null) bestDemand[cell] = d;
                }
            }
        return scores;
    }

    /// <summary>
    /// The score matrix as <see cref="Combine"/>, except that cold cells (no recommender value) take the learned
    /// model's score when the profile says so and a model is given; <paramref name="learnedParts"/> (if not null) gets
    /// those cells' parts.
    /// </summary>
    public double[] CombineWithLearned(ScoringWeights weights, LearnedPairModel? learned, int[] bestDemand, double[][]? learnedParts = null)
    {
        var scores = Combine(weights, bestDemand);
        if (learned is null || weights.ColdStart != ColdStartScorer.Learned) return scores;
        var cells = new List<int>();
        for (var cell = 0; cell < scores.Length; cell++)
            if (bestDemand[cell] >= 0 && float.IsNaN(Collaborative[cell])) cells.Add(cell);
        if (cells.Count == 0) return scores;
        var examples = PairExamples.ForCells(this, weights, cells, bestDemand);
        var learnedScores = learned.Score(examples);
        for (var i = 0; i < cells.Count; i++)
        {
            scores[cells[i]] = learnedScores[i].Score;
            if (learnedParts is not null) learnedParts[cells[i]] = [.. learnedScores[i].Parts, learnedScores[i].Baseline];
        }
        return scores;
    }

    /// <summary>All scored SME × buyer pairs with what their explanations need (terms, codes, missing certifications);
    /// cold pairs scored by <paramref name="learned"/> when the profile chooses the learned model.</summary>
    public IReadOnlyList<ScoredPair> Score(ScoringWeights weights, int terms = 5, LearnedPairModel? learned = null)
    {
        var best = new int[SmeCount * BuyerCount];
        var parts = new double[SmeCount * BuyerCount][];
        var scores = CombineWithLearned(weights, learned, best, parts);
        var result = new List<ScoredPair>(scores.Length);
        for (var s = 0; s < SmeCount; s++)
        {
            var smeCodes = Content.SmeCodes(s);
            for (var b = 0; b < BuyerCount; b++)
            {
                var cell = s * BuyerCount + b;
                var d = best[cell];
                if (d < 0) continue;
                var values = new double[MatchComponents.Count];
                Values(s, d, weights, values);
                var (level, i, j) = IndustryCode.Best(smeCodes, Content.DemandCodes(d));
                var (ko, en) = MatchComponents.LevelLabel(level);
                var codes = level > 0 ? new MatchedCodes(smeCodes[i].Code, Content.DemandCodes(d)[j].Code, level, ko, en) : null;
                var matched = Text[s * DemandCount + d] > 0 ? Content.Index.TopTerms(_smeVectors[s], d, terms) : [];
                result.Add(new ScoredPair(Input.Smes[s].Id, Input.Buyers[b].Id, Demands[d].Id, scores[cell], values, matched, codes,
                    CertificationMissing[s * DemandCount + d] ? Content.MissingCertifications(s, d) : [],
                    parts[cell] is null ? ScoredPair.ByWeights : learned!.Algorithm, parts[cell]));
            }
        }
        return result;
    }
}
