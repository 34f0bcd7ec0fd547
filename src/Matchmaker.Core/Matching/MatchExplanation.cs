using Matchmaker.Core.Messages;
namespace Matchmaker.Core.Matching;

/// <summary>One component of a score: its value in [0, 1] (null when it has none for the pair: the recommender on a
/// cold start), the profile's weight, and its contribution wᵢ·vᵢ / Σ w over the components with a value.</summary>
public sealed record ComponentContribution(MatchComponent Component, string LabelKo, string LabelEn, double? Value, double Weight, double Contribution);

/// <summary>One term of a learned score: a field of the pair (a content component or a category) or the model's
/// baseline, with the component's value where it has one, and its part of the score (may be negative).</summary>
public sealed record ModelTerm(string Key, string LabelKo, string LabelEn, double? Value, double Contribution);

/// <summary>The KSIC codes that agreed best, and at which level.</summary>
public sealed record MatchedCodes(string SmeCode, string DemandCode, int Level, string LevelKo, string LevelEn);

/// <summary>Why a pair scored what it did: contributions that add up to the score, matched terms and codes, missing
/// certifications, and whether the recommender had anything to say. <see cref="ScoredBy"/> names the model that scored
/// the pair: "weights" (the profile's weights; <see cref="Components"/> add up to the score) or a learned model
/// ("learned-lightgbm", "learned-ffm"; then <see cref="ModelTerms"/> add up to it and <see cref="Components"/> only
/// carry the component values, with no weight and no contribution).</summary>
public sealed record MatchExplanation(
    double Score,
    IReadOnlyList<ComponentContribution> Components,
    IReadOnlyList<string> MatchedTerms,
    MatchedCodes? MatchedCodes,
    IReadOnlyList<string> MissingCertifications,
    bool ColdStart,
    string NoteKo,
    string NoteEn,
    string ScoredBy = ScoredPair.ByWeights,
    IReadOnlyList<ModelTerm>? ModelTerms = null)
{
    /// <summary>
    /// The score and contributions of component values under a profile (values in <see cref="MatchComponents.All"/>
    /// order, NaN = none). Computed in double, in one fixed order, so the same values always give the same score.
    /// </summary>
    public static double Combine(ScoringWeights weights, ReadOnlySpan<double> values, Span<double> contributions)
    {
        var total = 0.0;
        for (var c = 0; c < MatchComponents.Count; c++)
            if (!double.IsNaN(values[c])) total += weights.WeightOf((MatchComponent)c);
        var score = 0.0;
        for (var c = 0; c < MatchComponents.Count; c++)
        {
            var part = total <= 0 || double.IsNaN(values[c]) ? 0 : weights.WeightOf((MatchComponent)c) * values[c] / total;
            contributions[c] = part;
            score += part;
        }
        return Math.Clamp(score, 0, 1);
    }

    public static MatchExplanation Build(ScoringWeights weights, ReadOnlySpan<double> values, IReadOnlyList<string> terms,
        MatchedCodes? codes, IReadOnlyList<string> missing)
    {
        Span<double> contributions = stackalloc double[MatchComponents.Count];
        var score = Combine(weights, values, contributions);
        var components = new List<ComponentContribution>(MatchComponents.Count);
        for (var c = 0; c < MatchComponents.Count; c++)
        {
            var (ko, en) = MatchComponents.Label((MatchComponent)c);
            components.Add(new((MatchComponent)c, ko, en, double.IsNaN(values[c]) ? null : values[c], weights.WeightOf((MatchComponent)c), contributions[c]));
        }
        var cold = double.IsNaN(values[(int)MatchComponent.Collaborative]);
        var (noteKo, noteEn) = MessageCatalog.Both(cold ? "explain.note.content_only" : "explain.note.with_recommender");
        return new MatchExplanation(score, components, terms, codes, missing, cold, noteKo, noteEn, ScoredPair.ByWeights, []);
    }

    /// <summary>The explanation of a learned score: its parts (<see cref="PairFields.All"/> order, then the baseline)
    /// as model terms that add up to <paramref name="score"/>; the component values stay for reference.</summary>
    public static MatchExplanation BuildLearned(string scoredBy, double score, ReadOnlySpan<double> values, ReadOnlySpan<double> parts,
        IReadOnlyList<string> terms, MatchedCodes? codes, IReadOnlyList<string> missing)
    {
        if (parts.Length != PairFields.Count + 1) throw new ArgumentException("one part per field and the baseline", nameof(parts));
        var components = new List<ComponentContribution>(MatchComponents.Count);
        for (var c = 0; c < MatchComponents.Count; c++)
        {
            var (ko, en) = MatchComponents.Label((MatchComponent)c);
            components.Add(new((MatchComponent)c, ko, en, double.IsNaN(values[c]) ? null : values[c], 0, 0));
        }
        var modelTerms = new List<ModelTerm>(PairFields.Count + 1);
        for (var f = 0; f < PairFields.Count; f++)
        {
            var (ko, en) = PairFields.Label((PairField)f);
            modelTerms.Add(new(PairFields.Key((PairField)f), ko, en, f < PairFields.Numeric ? values[f] : null, parts[f]));
        }
        modelTerms.Add(new(PairFields.BaselineKey, PairFields.BaselineLabel.Ko, PairFields.BaselineLabel.En, null, parts[PairFields.Count]));
        var name = scoredBy == LearnedPairModel.AlgorithmName(PairModelTrainer.Ffm) ? ("FFM", "FFM") : ("LightGBM", "LightGBM");
        return new MatchExplanation(score, components, terms, codes, missing, true,
            MessageCatalog.Text("explain.note.learned", MessageLanguage.Ko, name.Item1),
            MessageCatalog.Text("explain.note.learned", MessageLanguage.En, name.Item2),
            scoredBy, modelTerms);
    }
}
