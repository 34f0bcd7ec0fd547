namespace Matchmaker.Core.Scheduling;

// Phase (2): give the chosen pairs slots, one max-weight matching per slot in chronological order.
internal sealed partial class SolverRun
{
    /// <summary>
    /// Walks slots chronologically; in each, a max-weight matching (buyer tables × SMEs) over the chosen pairs still
    /// waiting, where a pair weighs more when its SME or buyer has few available slots left for its remaining
    /// meetings (tight participants first, as opt.py decomp-fast).
    /// </summary>
    private void AssignSlots(List<int> chosen)
    {
        var c = _c;
        var T = c.T;
        var tt = _tt;
        var degS = new int[c.S];
        var degB = new int[c.B];
        foreach (var p in chosen) { degS[c.PairSme[p]]++; degB[c.PairBuyer[p]]++; }
        // Slots still usable from t on (available and not taken by a lock).
        var remS = new int[c.S * (T + 1)];
        var remB = new int[c.B * (T + 1)];
        for (var s = 0; s < c.S; s++)
            for (var t = T - 1; t >= 0; t--)
                remS[s * (T + 1) + t] = remS[s * (T + 1) + t + 1] + (c.SmeAvail[s * T + t] && tt.SmeAt[s * T + t] < 0 ? 1 : 0);
        for (var b = 0; b < c.B; b++)
            for (var t = T - 1; t >= 0; t--)
                remB[b * (T + 1) + t] = remB[b * (T + 1) + t + 1] + (c.BuyerAvail[b * T + t] ? c.Tables[b] - tt.BuyerCount[b * T + t] : 0);

        // Pairs in SME order so that each slot's arcs come out grouped by SME.
        var byS = chosen.OrderBy(p => c.PairSme[p]).ThenBy(p => p).ToArray();
        var left = new int[c.S];
        var right = new int[c.B];
        Array.Fill(left, -1);
        Array.Fill(right, -1);
        var candPair = new List<int>();
        var leftIds = new List<int>();
        var rightIds = new List<int>();
        // No time check here: T matchings are bounded work, and without them a cut-off solve would return nothing.
        for (var t = 0; t < T; t++)
        {
            candPair.Clear(); leftIds.Clear(); rightIds.Clear();
            foreach (var p in byS)
            {
                if (tt.PairSlot[p] >= 0) continue;
                int s = c.PairSme[p], b = c.PairBuyer[p];
                // The SME's side of the availability rule; the buyer's tables are the matching's capacities below.
                if (tt.SmeClash(s, b, t) != SlotClash.None) continue;
                if (right[b] < 0)
                {
                    var cap = c.Tables[b] - tt.BuyerCount[b * T + t];
                    if (c.BuyerNb2b[b])
                        foreach (var u in c.Neighbours(t)) cap = Math.Min(cap, c.Tables[b] - tt.BuyerCount[b * T + u] - tt.BuyerCount[b * T + t]);
                    if (cap <= 0) continue;
                    right[b] = rightIds.Count; rightIds.Add(b);
                }
                if (left[s] < 0) { left[s] = leftIds.Count; leftIds.Add(s); }
                candPair.Add(p);
            }
            if (candPair.Count == 0) continue;
            var nl = leftIds.Count;
            var start = new int[nl + 1];
            var arcRight = new int[candPair.Count];
            var gain = new long[candPair.Count];
            for (var k = 0; k < candPair.Count; k++)
            {
                var p = candPair[k];
                int s = c.PairSme[p], b = c.PairBuyer[p];
                start[left[s] + 1]++;
                arcRight[k] = right[b];
                double slackS = Math.Max(0, remS[s * (T + 1) + t] - degS[s]);
                double slackB = Math.Max(0, remB[b * (T + 1) + t] - degB[b]);
                var w = 1.0 + 2.0 / (1.0 + slackS) + 2.0 / (1.0 + slackB / c.Tables[b]) + 0.01 * c.Value[p];
                if (c.MustMode && c.Requested[p]) w += 10;
                gain[k] = (long)Math.Round(w * Scale);
            }
            for (var i = 0; i < nl; i++) start[i + 1] += start[i];
            var leftCap = new int[nl];
            Array.Fill(leftCap, 1);
            var rightCap = new int[rightIds.Count];
            for (var j = 0; j < rightIds.Count; j++)
            {
                var b = rightIds[j];
                var cap = c.Tables[b] - tt.BuyerCount[b * T + t];
                if (c.BuyerNb2b[b])
                    foreach (var u in c.Neighbours(t)) cap = Math.Min(cap, c.Tables[b] - tt.BuyerCount[b * T + u] - tt.BuyerCount[b * T + t]);
                rightCap[j] = Math.Max(0, cap);
            }
            var match = new BMatching(nl, rightIds.Count, start, arcRight, gain, leftCap, new int[nl], rightCap, 0);
            match.Solve();
            for (var k = 0; k < candPair.Count; k++)
            {
                if (!match.Flow[k]) continue;
                var p = candPair[k];
                // Caps checked too: must-meet pairs alone can exceed a cap when the instance is infeasible.
                if (!tt.CanPlace(p, t, checkCaps: true)) continue;
                tt.Place(p, t);
                degS[c.PairSme[p]]--;
                degB[c.PairBuyer[p]]--;
            }
            foreach (var s in leftIds) left[s] = -1;
            foreach (var b in rightIds) right[b] = -1;
        }
        tt.Commit();
    }
}
