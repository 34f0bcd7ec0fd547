namespace Matchmaker.Core.Recommendations;

/// <summary>Train/test splits for offline evaluation; both sides keep the input's id maps (so indices line up).</summary>
public static class Splits
{
    /// <summary>
    /// Random split: a SplitMix64 Fisher–Yates permutation of the cells (the generator of
    /// the shared mf/split.py, so seed 20240611 and fraction 0.2 reproduce its files), the first
    /// ⌊n·testFraction⌋ shuffled cells to test; both parts keep the input order.
    /// </summary>
    public static (RatingSet Train, RatingSet Test) Random(RatingSet data, double testFraction, ulong seed)
    {
        if (!(testFraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(testFraction));
        var permutation = SplitMix64.Permutation(data.Count, seed);
        var isTest = new bool[data.Count];
        var nTest = (int)Math.Floor(data.Count * testFraction);
        for (var x = 0; x < nTest; x++) isTest[permutation[x]] = true;
        return Partition(data, c => isTest[c]);
    }

    /// <summary>
    /// Temporal split: cells whose time is before <paramref name="cutOff"/> train, the rest (at or after) test, as a
    /// model is used in practice (trained on past events, asked about the next ones).
    /// </summary>
    public static (RatingSet Train, RatingSet Test) Temporal(RatingSet data, IReadOnlyList<DateTimeOffset> times,
        DateTimeOffset cutOff)
    {
        if (times.Count != data.Count) throw new ArgumentException("one time per cell", nameof(times));
        return Partition(data, c => times[c] >= cutOff);
    }

    private static (RatingSet Train, RatingSet Test) Partition(RatingSet data, Func<int, bool> isTest)
    {
        var train = new List<Rating>();
        var test = new List<Rating>();
        for (var c = 0; c < data.Count; c++) (isTest(c) ? test : train).Add(data.Ratings[c]);
        return (new RatingSet(data.Users, data.Items, [.. train]), new RatingSet(data.Users, data.Items, [.. test]));
    }
}
