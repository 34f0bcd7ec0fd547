using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Matching;

/// <summary>
/// The recommender's predictions for an event's SME × buyer pairs, calibrated to [0, 1] as rank percentiles among the
/// pairs it can score ((rank below + half of the ties) / (n − 1)), so that 0.9 means "better than 90 % of this event's
/// pairs" whatever the model's raw scale. NaN for pairs it cannot score (SME or buyer without history).
/// </summary>
public static class CollaborativeSignal
{
    public static float[] Calibrate(MfModel? model, IReadOnlyList<SmeDoc> smes, IReadOnlyList<BuyerDoc> buyers)
    {
        var result = new float[smes.Count * buyers.Count];
        Array.Fill(result, float.NaN);
        if (model is null) return result;
        var raw = new List<(float Score, int Cell)>();
        for (var s = 0; s < smes.Count; s++)
        {
            if (!model.Users.TryGetIndex(smes[s].Key, out var u)) continue;
            for (var b = 0; b < buyers.Count; b++)
                if (model.Items.TryGetIndex(buyers[b].Key, out var i))
                    raw.Add((model.Score(u, i), s * buyers.Count + b));
        }
        if (raw.Count == 0) return result;
        raw.Sort((x, y) => x.Score != y.Score ? x.Score.CompareTo(y.Score) : x.Cell.CompareTo(y.Cell));
        var n = raw.Count;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end < n && raw[end].Score == raw[start].Score) end++;
            var percentile = n == 1 ? 1f : (float)((start + (end - start - 1) / 2.0) / (n - 1));
            for (var i = start; i < end; i++) result[raw[i].Cell] = percentile;
            start = end;
        }
        return result;
    }
}
