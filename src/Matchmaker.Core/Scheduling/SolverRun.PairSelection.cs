namespace Matchmaker.Core.Scheduling;

// Phase (1): choose pairs by a max-weight b-matching that ignores slot clashes; its value is the upper bound.
internal sealed partial class SolverRun
{
    /// <summary>Chooses pairs by max-weight b-matching; returns them and the bound (null if the time limit cut it).</summary>
    private (List<int> Chosen, double? Bound) SelectPairs()
    {
        var c = _c;
        var fixedS = new int[c.S];
        var fixedB = new int[c.B];
        var isFixed = new bool[c.P];
        var chosen = new List<int>();
        foreach (var p in c.LockPair) { isFixed[p] = true; fixedS[c.PairSme[p]]++; fixedB[c.PairBuyer[p]]++; }
        if (c.MustMode)
        {
            // Must-meet pairs are in every feasible timetable: fix them and optimise the rest around them.
            for (var p = 0; p < c.P; p++)
            {
                if (!c.Requested[p] || isFixed[p] || !HasCommonSlot(p)) continue;
                isFixed[p] = true; fixedS[c.PairSme[p]]++; fixedB[c.PairBuyer[p]]++;
                chosen.Add(p);
            }
        }
        var sLim = new int[c.S];
        var floor = new int[c.S];
        for (var s = 0; s < c.S; s++)
        {
            sLim[s] = Math.Max(0, Math.Min(c.SmeCap[s], c.MaxSlots(c.SmeAvail, s, c.SmeNb2b[s])) - fixedS[s]);
            floor[s] = Math.Max(0, c.SmeMin[s] - fixedS[s]);
        }
        var bLim = new int[c.B];
        for (var b = 0; b < c.B; b++)
            bLim[b] = (int)Math.Max(0, Math.Min(c.BuyerCap[b], (long)c.Tables[b] * c.MaxSlots(c.BuyerAvail, b, c.BuyerNb2b[b])) - fixedB[b]);

        // Arcs grouped by SME (counting sort keeps input order inside an SME).
        var start = new int[c.S + 1];
        var keep = new bool[c.P];
        for (var p = 0; p < c.P; p++)
        {
            if (isFixed[p] || sLim[c.PairSme[p]] == 0 || bLim[c.PairBuyer[p]] == 0 || !HasCommonSlot(p)) continue;
            keep[p] = true;
            start[c.PairSme[p] + 1]++;
        }
        for (var s = 0; s < c.S; s++) start[s + 1] += start[s];
        var m = start[c.S];
        var arcPair = new int[m];
        var arcRight = new int[m];
        var gain = new long[m];
        var fill = (int[])start.Clone();
        for (var p = 0; p < c.P; p++)
        {
            if (!keep[p]) continue;
            var a = fill[c.PairSme[p]]++;
            arcPair[a] = p;
            arcRight[a] = c.PairBuyer[p];
            gain[a] = (long)Math.Round(c.Value[p] * Scale);
        }
        // Column generation: solve on each SME's best arcs only, then price every other arc with the potentials
        // (duals). Arcs with negative reduced cost join; the flow restarts from the previous optimum (warm start) and
        // repairs just those arcs. When no arc prices out, the pruned optimum is optimal for all arcs (no negative
        // cycle exists in the full residual graph), so its value is a valid upper bound.
        var active = new bool[m];
        var byValue = Comparer<int>.Create((x, y) => c.Value[y].CompareTo(c.Value[x]) is var k and not 0 ? k : x.CompareTo(y));
        for (var s = 0; s < c.S; s++)
        {
            int a0 = start[s], a1 = start[s + 1];
            // Best first (value desc, then input order) so the prefix is the SME's top arcs.
            System.Array.Sort(arcPair, a0, a1 - a0, byValue);
            for (var a = a0; a < a1; a++) { arcRight[a] = c.PairBuyer[arcPair[a]]; gain[a] = (long)Math.Round(c.Value[arcPair[a]] * Scale); }
            var k = Math.Min(a1 - a0, ArcsPerSmeOverride ?? 2 * sLim[s] + 8);
            for (var a = a0; a < a0 + k; a++) active[a] = true;
        }
        var penaltyScaled = (long)Math.Round(c.Penalty * Scale);
        var complete = false;
        BMatching? flow = null;
        int[] subArc = [];
        var fullToSub = new int[m];
        while (true)
        {
            var subStart = new int[c.S + 1];
            var n = 0;
            for (var s = 0; s < c.S; s++)
            {
                for (var a = start[s]; a < start[s + 1]; a++) if (active[a]) n++;
                subStart[s + 1] = n;
            }
            var prevSubArc = subArc;
            subArc = new int[n];
            var subRight = new int[n];
            var subGain = new long[n];
            n = 0;
            for (var a = 0; a < m; a++)
                if (active[a]) { fullToSub[a] = n; subArc[n] = a; subRight[n] = arcRight[a]; subGain[n] = gain[a]; n++; }
            var next = new BMatching(c.S, c.B, subStart, subRight, subGain, sLim, floor, bLim, penaltyScaled, sortedByGain: true);
            if (flow is null)
            {
                complete = next.Solve(TimeUp);
            }
            else
            {
                var oldToNew = new int[prevSubArc.Length];
                for (var k = 0; k < prevSubArc.Length; k++) oldToNew[k] = fullToSub[prevSubArc[k]];
                next.WarmStart(flow, oldToNew);
                next.FixNegativeArcs();
            }
            flow = next;
            if (!complete) break;
            var pi = flow.Potentials;
            var added = 0;
            for (var s = 0; s < c.S; s++)
                for (var a = start[s]; a < start[s + 1]; a++)
                    if (!active[a] && -gain[a] + pi[s] - pi[c.S + arcRight[a]] < 0) { active[a] = true; added++; }
            if (added == 0) break;
        }
        for (var k = 0; k < subArc.Length; k++) if (flow!.Flow[k]) chosen.Add(arcPair[subArc[k]]);
        chosen.Sort();
        if (!complete) return (chosen, null);

        var count = (int[])fixedS.Clone();
        double v = 0;
        foreach (var p in c.LockPair) v += c.Value[p];
        foreach (var p in chosen) v += c.Value[p];
        // fixedS already counts locks and must-meet pairs; add the pairs the flow chose.
        foreach (var p in chosen) if (!isFixed[p]) count[c.PairSme[p]]++;
        for (var s = 0; s < c.S; s++) v -= c.Penalty * Math.Max(0, c.SmeMin[s] - count[s]);
        return (chosen, v);
    }

    private bool HasCommonSlot(int p)
    {
        var c = _c;
        int so = c.PairSme[p] * c.T, bo = c.PairBuyer[p] * c.T;
        for (var t = 0; t < c.T; t++) if (c.SmeAvail[so + t] && c.BuyerAvail[bo + t]) return true;
        return false;
    }
}
