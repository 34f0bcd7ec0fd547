using Matchmaker.Core.Messages;
using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Matching;

/// <summary>The inputs of the learned pair model, in its order: the seven content components the hand-weighted
/// score is made of, then four categories of the pair.</summary>
public enum PairField
{
    Text, Industry, Certification, Region, Size, Export, Relationship,
    /// <summary>The buyer itself (buyer_id): what this buyer ended up valuing.</summary>
    Buyer,
    /// <summary>The buyer's sector.</summary>
    BuyerSector,
    /// <summary>The KSIC section (letter) of the SME's first industry code.</summary>
    SmeSection,
    /// <summary>The SME's region (where it is located, not the demand's preference).</summary>
    SmeRegion,
}

/// <summary>Labels and keys of the learned model's fields, and of its baseline.</summary>
public static class PairFields
{
    public const int Count = 11;
    /// <summary>The first seven fields are numbers in [0, 1] (the content components), the rest categories.</summary>
    public const int Numeric = 7;
    public static readonly PairField[] All = Enum.GetValues<PairField>();

    public static (string Ko, string En) Label(PairField field) => field switch
    {
        PairField.Buyer => MessageCatalog.Both("explain.field.buyer"),
        PairField.BuyerSector => MessageCatalog.Both("explain.field.buyer_sector"),
        PairField.SmeSection => MessageCatalog.Both("explain.field.sme_section"),
        PairField.SmeRegion => MessageCatalog.Both("explain.field.sme_region"),
        _ => MatchComponents.Label((MatchComponent)(int)field),
    };

    public static string Key(PairField field) => field switch
    {
        PairField.Buyer => "buyer",
        PairField.BuyerSector => "buyer_sector",
        PairField.SmeSection => "sme_section",
        PairField.SmeRegion => "sme_region",
        _ => MatchComponents.Key((MatchComponent)(int)field),
    };

    public static readonly (string Ko, string En) BaselineLabel = MessageCatalog.Both("explain.field.baseline");
    public const string BaselineKey = "baseline";
}

/// <summary>One SME × buyer pair as the learned model reads it: the component values of the buyer's best demand
/// (<see cref="MatchComponents.All"/> order, without the recommender) and the pair's categories.</summary>
public sealed record PairExample(float[] Numbers, string Buyer, string BuyerSector, string SmeSection, string SmeRegion)
{
    public string Category(PairField field) => field switch
    {
        PairField.Buyer => Buyer,
        PairField.BuyerSector => BuyerSector,
        PairField.SmeSection => SmeSection,
        PairField.SmeRegion => SmeRegion,
        _ => throw new ArgumentOutOfRangeException(nameof(field), "not a category"),
    };
}

/// <summary>A pair with what came of it at its event: a relevance grade 0–5 and its group (one SME at one event).</summary>
public readonly record struct LabelledPair(PairExample Example, int Grade, int Group);

/// <summary>Builds the learned model's examples from an event's features, and its training rows from past outcomes.</summary>
public static class PairExamples
{
    /// <summary>
    /// Grade of each pair from what happened at one event: contract 5, follow-up 4, rated well 3, held 2, request
    /// (or its acceptance) 1 as a weaker positive; a decline or a no-show without a held meeting is an explicit 0.
    /// Views alone say nothing. Pairs with no entry had no interaction.
    /// </summary>
    public static Dictionary<(string Sme, string Buyer), int> Grades(IEnumerable<PastInteraction> atEvent)
    {
        var best = new Dictionary<(string, string), int>();
        var negative = new HashSet<(string, string)>();
        foreach (var i in atEvent)
        {
            var key = (i.SmeKey, i.BuyerKey);
            if (i.Kind is "declined" or "no_show") { negative.Add(key); continue; }
            var grade = GradeOf(i.Kind);
            if (grade < 0) continue;
            best[key] = Math.Max(best.GetValueOrDefault(key), grade);
        }
        foreach (var key in negative)
            if (best.GetValueOrDefault(key) < 2) best[key] = 0;
        return best;
    }

    public static int GradeOf(string kind) => kind switch
    {
        "contract" => 5, "follow_up" => 4, "rated_well" => 3, "held" => 2, "accepted" or "requested" => 1, _ => -1,
    };

    /// <summary>Every SME × buyer cell's example (SME-major), from the buyer's best demand under the content weights
    /// of <paramref name="weights"/>; null where a hard filter removes every demand of the buyer.</summary>
    public static PairExample?[] ForEvent(EventFeatures features, ScoringWeights weights)
    {
        var best = new int[features.SmeCount * features.BuyerCount];
        features.Combine(ReplayEvaluation.ContentOnlyOf(weights), best);
        var cells = Enumerable.Range(0, best.Length).Where(c => best[c] >= 0).ToList();
        var result = new PairExample?[best.Length];
        var examples = ForCells(features, weights, cells, best);
        for (var i = 0; i < cells.Count; i++) result[cells[i]] = examples[i];
        return result;
    }

    /// <summary>The examples of the given SME × buyer cells, each from the demand <paramref name="bestDemand"/> names.</summary>
    public static PairExample[] ForCells(EventFeatures features, ScoringWeights weights, IReadOnlyList<int> cells, int[] bestDemand)
    {
        var nB = features.BuyerCount;
        var result = new PairExample[cells.Count];
        Span<double> values = stackalloc double[MatchComponents.Count];
        string[] sections = new string[features.SmeCount], regions = new string[features.SmeCount];
        for (var s = 0; s < features.SmeCount; s++)
        {
            var codes = features.Content.SmeCodes(s);
            sections[s] = codes.Length == 0 ? "-" : codes[0].Section.ToString();
            var region = features.Input.Smes[s].Region;
            regions[s] = string.IsNullOrWhiteSpace(region) ? "-" : region.Trim();
        }
        for (var i = 0; i < cells.Count; i++)
        {
            var (s, b) = (cells[i] / nB, cells[i] % nB);
            features.Values(s, bestDemand[cells[i]], weights, values);
            var numbers = new float[PairFields.Numeric];
            for (var c = 0; c < numbers.Length; c++) numbers[c] = (float)values[c];
            var buyer = features.Input.Buyers[b];
            result[i] = new PairExample(numbers, buyer.Key, string.IsNullOrWhiteSpace(buyer.Sector) ? "-" : buyer.Sector.Trim(), sections[s], regions[s]);
        }
        return result;
    }

    /// <summary>
    /// Training rows of one past event: for every SME with a positive outcome there, its graded pairs (positives and
    /// explicit negatives) and up to <paramref name="negativesPerSme"/> other pairs as grade 0, drawn with the seed.
    /// SMEs without a positive teach a per-SME ranking nothing and are left out. Groups are numbered from
    /// <paramref name="firstGroup"/>; returns the rows and the next free group number.
    /// </summary>
    public static (List<LabelledPair> Rows, int NextGroup) TrainingRows(EventFeatures features, ScoringWeights weights,
        IReadOnlyDictionary<(string Sme, string Buyer), int> grades, int firstGroup, int negativesPerSme, ulong seed)
    {
        var examples = ForEvent(features, weights);
        int nS = features.SmeCount, nB = features.BuyerCount;
        var rows = new List<LabelledPair>();
        var group = firstGroup;
        var random = new SplitMix64(seed);
        var others = new List<int>();
        for (var s = 0; s < nS; s++)
        {
            var smeKey = features.Input.Smes[s].Key;
            var positive = false;
            for (var b = 0; b < nB; b++)
                if (grades.GetValueOrDefault((smeKey, features.Input.Buyers[b].Key)) > 0 && examples[s * nB + b] is not null) positive = true;
            if (!positive) continue;
            others.Clear();
            for (var b = 0; b < nB; b++)
            {
                if (examples[s * nB + b] is not { } example) continue;
                if (grades.TryGetValue((smeKey, features.Input.Buyers[b].Key), out var grade)) rows.Add(new(example, grade, group));
                else others.Add(b);
            }
            var picks = others.ToArray();
            random.Shuffle(picks.AsSpan());
            foreach (var b in picks.Take(negativesPerSme).Order()) rows.Add(new(examples[s * nB + b]!, 0, group));
            group++;
        }
        return (rows, group);
    }
}
