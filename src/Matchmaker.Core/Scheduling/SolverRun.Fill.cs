namespace Matchmaker.Core.Scheduling;

// Phase (4): fill the room left with the next-best pairs, SMEs below their floor first, by insertion or exchange.
internal sealed partial class SolverRun
{
    /// <summary>SMEs below their floor take their best remaining pairs (each one is worth the shortfall penalty).</summary>
    private void FillFloors()
    {
        var c = _c;
        var byS = PairsBySme();
        var order = Enumerable.Range(0, c.S).OrderBy(s => c.SmeIds[s], StringComparer.Ordinal).ToArray();
        foreach (var s in order)
        {
            if (_tt.SmeTotal[s] >= c.SmeMin[s]) continue;
            // After the time limit only free spots are used (a cheap greedy pass), never searches.
            var late = TimeUp();
            foreach (var p in byS[s])
            {
                if (_tt.SmeTotal[s] >= c.SmeMin[s]) break;
                if (_tt.PairSlot[p] >= 0) continue;
                var budget = _o.EjectionBudget;
                if (TryInsert(p, late ? 0 : Math.Min(2, _o.EjectionDepth), ref budget, checkCaps: true) || (!late && TryExchange(p))) _tt.Commit();
            }
        }
    }

    private List<int>[] PairsBySme() => _byS ??= PairsBy(bySme: true);

    /// <summary>Pairs per SME (or per buyer), best first (value desc, then ids).</summary>
    private List<int>[] PairsBy(bool bySme)
    {
        var c = _c;
        var lists = new List<int>[bySme ? c.S : c.B];
        for (var i = 0; i < lists.Length; i++) lists[i] = [];
        for (var p = 0; p < c.P; p++) lists[bySme ? c.PairSme[p] : c.PairBuyer[p]].Add(p);
        foreach (var l in lists) l.Sort(CompareByValue);
        return lists;
    }

    /// <summary>Any spare capacity goes to the best unscheduled pairs (value desc, ids asc), one ejection deep.</summary>
    private void FillRest(List<int> flowLeftovers)
    {
        var c = _c;
        var tt = _tt;
        // Exchanges (costly: each plays out re-insertions) are tried only for pairs of an SME or buyer whose
        // flow-chosen pair found no slot (its next-best replacements); other pairs only go into free room.
        var wantedS = new bool[c.S];
        var wantedB = new bool[c.B];
        foreach (var p in flowLeftovers) { wantedS[c.PairSme[p]] = true; wantedB[c.PairBuyer[p]] = true; }
        var cand = new List<int>();
        for (var p = 0; p < c.P; p++)
        {
            if (tt.PairSlot[p] >= 0) continue;
            int s = c.PairSme[p], b = c.PairBuyer[p];
            if (tt.SmeTotal[s] >= c.SmeCap[s] || tt.BuyerTotal[b] >= c.BuyerCap[b]) continue;
            cand.Add(p);
        }
        cand.Sort(CompareByValue);
        var late = false;
        for (var i = 0; i < cand.Count; i++)
        {
            var p = cand[i];
            if (!late && (i & 255) == 0) late = TimeUp();
            var budget = _o.EjectionBudget / 4;
            // After the time limit: free spots only (a cheap greedy pass that keeps a cut-off timetable useful).
            if (TryInsert(p, late ? 0 : Math.Min(1, _o.EjectionDepth), ref budget, checkCaps: true)
                || (!late && (wantedS[c.PairSme[p]] || wantedB[c.PairBuyer[p]]) && TryExchange(p))) tt.Commit();
            if (DebugChecks) tt.AssertConsistent($"fill {p}");
        }
    }

    /// <summary>A dropped meeting leaves room at its SME and buyer: offer it to their best unscheduled pairs.</summary>
    private void FillAround(int q, int level)
    {
        var c = _c;
        _byS ??= PairsBy(bySme: true);
        _byB ??= PairsBy(bySme: false);
        foreach (var list in new[] { _byS[c.PairSme[q]], _byB[c.PairBuyer[q]] })
        {
            var tried = 0;
            foreach (var r in list)
            {
                if (r == q || _tt.PairSlot[r] >= 0 || _inChain[r]) continue;
                if (++tried > 8) break;
                var budget = 0;
                if (TryInsert(r, 0, ref budget, checkCaps: true) || (level < 1 && TryExchange(r, level + 1))) break;
            }
        }
    }
}
