using System.Text.Json;
using System.Text.Json.Serialization;
using Matchmaker.Core.Events;

namespace Matchmaker.Core.Matching;

/// <summary>What a missing required certification does to a pair.</summary>
public enum CertificationRule
{
    /// <summary>The pair is not proposed at all (e.g. KHNP's nuclear quality grade, hospitals' ISO 13485).</summary>
    HardFilter,
    /// <summary>The pair stays, with a lower certification component (share of required certifications held).</summary>
    Penalty,
}

/// <summary>What scores a cold pair (an SME or buyer the recommender has no history for).</summary>
public enum ColdStartScorer
{
    /// <summary>The profile's hand-set content weights (the default).</summary>
    Weights,
    /// <summary>The learned pair model (trained from past outcomes by the retraining job), when one is trained.</summary>
    Learned,
}

/// <summary>Closeness credited when the best pair of codes first agrees at a KSIC level (1 = identical subclass).</summary>
public sealed record IndustryCloseness
{
    public double Subclass { get; init; } = 1.0;
    public double Class { get; init; } = 0.75;
    public double Group { get; init; } = 0.55;
    public double Division { get; init; } = 0.35;
    public double Section { get; init; } = 0.1;

    /// <summary>Closeness for a level (5 subclass … 1 section, 0 none).</summary>
    public double ForLevel(int level) => level switch
    {
        5 => Subclass, 4 => Class, 3 => Group, 2 => Division, 1 => Section, _ => 0,
    };
}

/// <summary>
/// A weight profile's content: the weight of each component and the rules. Weights are relative (any non-negative
/// numbers, not all zero); a score is Σ wᵢ·vᵢ / Σ wᵢ over the components that have a value for the pair, so every
/// score is in [0, 1] and the contributions wᵢ·vᵢ / Σ wᵢ add up to it. The collaborative component has no value for
/// a pair the recommender has never seen (cold start); its weight is then left out of both sums, so the score comes
/// from content alone.
/// </summary>
/// <remarks>Defaults: content first (text and codes, as organisers match by hand today), the recommender second.</remarks>
public sealed record ScoringWeights
{
    /// <summary>Text similarity (default 0.25). Too high: firms that describe themselves verbosely in the buyer's words win.</summary>
    public double Text { get; init; } = 0.25;
    /// <summary>KSIC closeness (default 0.25). Too high: every firm of the right division ties; too low: sectors mix.</summary>
    public double Industry { get; init; } = 0.25;
    /// <summary>Certifications held (default 0.15); see also <see cref="CertificationRule"/>.</summary>
    public double Certification { get; init; } = 0.15;
    /// <summary>Region preference (default 0.05).</summary>
    public double Region { get; init; } = 0.05;
    /// <summary>Size against budget (default 0.02).</summary>
    public double Size { get; init; } = 0.02;
    /// <summary>Export record (default 0.02); buyers differ in whether they care, which the recommender learns.</summary>
    public double Export { get; init; } = 0.02;
    /// <summary>Past relationship with this buyer (default 0.06).</summary>
    public double Relationship { get; init; } = 0.06;
    /// <summary>Recommender (default 0.20). Too high: returning firms crowd out new ones (no history, no score).</summary>
    public double Collaborative { get; init; } = 0.20;

    /// <summary>Missing required certification: hard filter or penalty (default penalty).</summary>
    public CertificationRule CertificationRule { get; init; } = CertificationRule.Penalty;

    /// <summary>Cold pairs scored by the hand weights (default) or by the learned pair model; warm pairs always keep the
    /// hybrid with the recommender. The learned model is an option, not the default: it did not beat the hand weights
    /// for cold SMEs on both held-out sets (README, "Learned scores for SMEs without history").</summary>
    public ColdStartScorer ColdStart { get; init; } = ColdStartScorer.Weights;

    /// <summary>KSIC closeness per level.</summary>
    public IndustryCloseness Closeness { get; init; } = new();

    /// <summary>Weight of the KSIC explanatory notes' text, relative to a firm's own description (default 0.5).</summary>
    public double KsicNotesWeight { get; init; } = 0.5;

    public static ScoringWeights Default { get; } = new();

    public double WeightOf(MatchComponent component) => component switch
    {
        MatchComponent.Text => Text,
        MatchComponent.Industry => Industry,
        MatchComponent.Certification => Certification,
        MatchComponent.Region => Region,
        MatchComponent.Size => Size,
        MatchComponent.Export => Export,
        MatchComponent.Relationship => Relationship,
        MatchComponent.Collaborative => Collaborative,
        _ => throw new ArgumentOutOfRangeException(nameof(component)),
    };

    /// <summary>The same rules with other component weights (in <see cref="MatchComponents.All"/> order).</summary>
    public ScoringWeights WithWeights(ReadOnlySpan<double> w) => this with
    {
        Text = w[0], Industry = w[1], Certification = w[2], Region = w[3], Size = w[4], Export = w[5], Relationship = w[6], Collaborative = w[7],
    };

    public double[] Weights() => MatchComponents.All.Select(WeightOf).ToArray();

    /// <summary>Every problem, each naming its field (JSON path as clients send it).</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        foreach (var c in MatchComponents.All)
        {
            var w = WeightOf(c);
            if (!double.IsFinite(w) || w < 0 || w > 1)
                errors.Add(new($"weights.{MatchComponents.Key(c)}", new Messages.Message("weights.unit_range")));
        }
        if (errors.Count == 0 && MatchComponents.All.Sum(WeightOf) <= 0)
            errors.Add(new("weights", new Messages.Message("weights.one_above_zero")));
        foreach (var (name, value) in new[] { ("subclass", Closeness.Subclass), ("class", Closeness.Class), ("group", Closeness.Group),
                     ("division", Closeness.Division), ("section", Closeness.Section) })
            if (!double.IsFinite(value) || value < 0 || value > 1)
                errors.Add(new($"closeness.{name}", new Messages.Message("weights.unit_range")));
        if (!double.IsFinite(KsicNotesWeight) || KsicNotesWeight < 0 || KsicNotesWeight > 5)
            errors.Add(new("ksicNotesWeight", new Messages.Message("weights.notes_weight_range")));
        if (!Enum.IsDefined(CertificationRule)) errors.Add(new("certificationRule", new Messages.Message("weights.certification_rule_values")));
        if (!Enum.IsDefined(ColdStart)) errors.Add(new("coldStart", new Messages.Message("weights.cold_start_values")));
        return errors;
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ScoringWeights FromJson(string json) => JsonSerializer.Deserialize<ScoringWeights>(json, Json)
        ?? throw new InvalidDataException("empty weight profile");
}
