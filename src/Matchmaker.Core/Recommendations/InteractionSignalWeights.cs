namespace Matchmaker.Core.Recommendations;

/// <summary>
/// How strongly each interaction kind says "this SME and this buyer fit", as the signed value w of an implicit cell
/// (confidence 1 + α|w|, preference 1 if w &gt; 0 else 0; see <see cref="ImplicitAlsOptions"/>). Defaults follow the
/// domain's ladder, roughly doubling per rung, so one contract outweighs many profile views; declines and no-shows
/// are negative (preference 0 with extra confidence), a no-show more so because it wasted a table.
/// </summary>
public sealed record InteractionSignalWeights
{
    public float ProfileViewed { get; init; } = 0.25f;
    public float IntroductionRequested { get; init; } = 0.5f;
    public float RequestAccepted { get; init; } = 1f;
    public float MeetingHeld { get; init; } = 2f;
    public float MeetingRatedWell { get; init; } = 4f;
    public float FollowUpAgreed { get; init; } = 6f;
    public float ContractSigned { get; init; } = 10f;
    public float RequestDeclined { get; init; } = -1f;
    public float NoShow { get; init; } = -2f;

    public float WeightOf(InteractionKind kind) => kind switch
    {
        InteractionKind.ProfileViewed => ProfileViewed,
        InteractionKind.IntroductionRequested => IntroductionRequested,
        InteractionKind.RequestAccepted => RequestAccepted,
        InteractionKind.MeetingHeld => MeetingHeld,
        InteractionKind.MeetingRatedWell => MeetingRatedWell,
        InteractionKind.FollowUpAgreed => FollowUpAgreed,
        InteractionKind.ContractSigned => ContractSigned,
        InteractionKind.RequestDeclined => RequestDeclined,
        InteractionKind.NoShow => NoShow,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown interaction kind"),
    };

    public InteractionSignalWeights Validate()
    {
        foreach (var kind in Enum.GetValues<InteractionKind>())
            if (!float.IsFinite(WeightOf(kind)))
                throw new ArgumentOutOfRangeException(kind.ToString(), "weight must be finite");
        return this;
    }

    /// <summary>
    /// One implicit cell per (SME, buyer) pair: the strongest positive rung reached (a meeting implies the request
    /// before it, so rungs are not summed) plus every negative event's weight. Pairs netting to 0 are dropped.
    /// Cells come out ordered by SME id then buyer id (ordinal), so the same events give the same matrix. For a
    /// temporal evaluation, split the events at a cut-off and build both parts with the same id maps.
    /// </summary>
    public RatingSet ToRatingSet(IEnumerable<Interaction> interactions, IdIndex? smes = null, IdIndex? buyers = null)
    {
        Validate();
        var pairs = new SortedDictionary<(string Sme, string Buyer), (float Positive, float Negative)>(PairOrder.Instance);
        foreach (var e in interactions)
        {
            var w = WeightOf(e.Kind);
            var key = (e.SmeId, e.BuyerId);
            pairs.TryGetValue(key, out var acc);
            pairs[key] = w >= 0 ? (Math.Max(acc.Positive, w), acc.Negative) : (acc.Positive, acc.Negative + w);
        }
        return RatingSet.FromTriples(pairs
            .Select(p => (p.Key.Sme, p.Key.Buyer, Value: p.Value.Positive + p.Value.Negative))
            .Where(t => t.Value != 0), smes, buyers);
    }

    private sealed class PairOrder : IComparer<(string, string)>
    {
        public static readonly PairOrder Instance = new();

        public int Compare((string, string) x, (string, string) y)
        {
            var c = string.CompareOrdinal(x.Item1, y.Item1);
            return c != 0 ? c : string.CompareOrdinal(x.Item2, y.Item2);
        }
    }
}
