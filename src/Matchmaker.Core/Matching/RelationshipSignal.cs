namespace Matchmaker.Core.Matching;

/// <summary>Past relationship of each SME × buyer pair: the strongest rung reached at earlier events.</summary>
public static class RelationshipSignal
{
    /// <summary>Value of each interaction kind (0–1); a no-show or decline takes 0.3 off what the pair reached.</summary>
    public static double Rung(string kind) => kind switch
    {
        "viewed" => 0.1, "requested" => 0.25, "accepted" => 0.4, "held" => 0.6, "rated_well" => 0.8, "follow_up" => 0.9,
        "contract" => 1.0, _ => 0,
    };

    public static float[] Compute(IReadOnlyList<PastInteraction> history, IReadOnlyList<SmeDoc> smes, IReadOnlyList<BuyerDoc> buyers)
    {
        var smeIndex = smes.Select((s, i) => (s.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        var buyerIndex = buyers.Select((b, i) => (b.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        var best = new double[smes.Count * buyers.Count];
        var penalty = new double[best.Length];
        foreach (var h in history)
        {
            if (!smeIndex.TryGetValue(h.SmeKey, out var s) || !buyerIndex.TryGetValue(h.BuyerKey, out var b)) continue;
            var cell = s * buyers.Count + b;
            if (h.Kind is "no_show" or "declined") penalty[cell] += 0.3;
            else best[cell] = Math.Max(best[cell], Rung(h.Kind));
        }
        var result = new float[best.Length];
        for (var i = 0; i < result.Length; i++) result[i] = (float)Math.Clamp(best[i] - penalty[i], 0, 1);
        return result;
    }
}
