namespace Matchmaker.Core.Scheduling;

// Phase (3): re-insert chosen pairs that found no slot by moving the meetings that block them (Kempe-style chains).
internal sealed partial class SolverRun
{
    private void ReinsertRounds(List<int> unplaced)
    {
        var c = _c;
        var rng = new Random(_o.Seed);
        for (var round = 0; round <= _o.RepairRounds && unplaced.Count > 0; round++)
        {
            if (round > 0)
            {
                // Later rounds try slots in a seeded random order: a different chain may free a different slot.
                _slotOrder = Enumerable.Range(0, c.T).ToArray();
                rng.Shuffle(_slotOrder);
            }
            unplaced.Sort((x, y) => CompareByValue(x, y));
            var still = new List<int>();
            foreach (var p in unplaced)
            {
                if (TimeUp()) { still.Add(p); continue; }
                var budget = _o.EjectionBudget;
                if (TryInsert(p, _o.EjectionDepth, ref budget, checkCaps: true)) _tt.Commit();
                else still.Add(p);
            }
            var progress = still.Count < unplaced.Count;
            unplaced.Clear();
            unplaced.AddRange(still);
            if (round > 0 && !progress && round >= 2) break;
        }
        _slotOrder = Enumerable.Range(0, c.T).ToArray();
    }

    /// <summary>
    /// Places pair p, moving up to <paramref name="depth"/> levels of blocking meetings (the SME's meeting in the slot,
    /// its back-to-back or travel clashes, or one of the buyer's meetings when all tables are taken) to other slots.
    /// On failure the timetable is exactly as before.
    /// </summary>
    internal bool TryInsert(int p, int depth, ref int budget, bool checkCaps)
    {
        var c = _c;
        var tt = _tt;
        int s = c.PairSme[p], b = c.PairBuyer[p];
        var T = c.T;
        // Already back in (a nested exchange may have filled it in): nothing to do.
        if (tt.PairSlot[p] >= 0) return true;
        if (checkCaps && (tt.SmeTotal[s] >= c.SmeCap[s] || tt.BuyerTotal[b] >= c.BuyerCap[b])) return false;
        foreach (var t in _slotOrder)
            if (t >= MinSlot && tt.CanPlace(p, t, checkCaps: false)) { tt.Place(p, t); return true; }
        if (depth == 0) return false;
        _inChain[p] = true;
        Span<int> blockers = stackalloc int[T + 1];
        try
        {
            foreach (var t in _slotOrder)
            {
                if (--budget <= 0) return false;
                if (t < MinSlot || !c.SmeAvail[s * T + t] || !c.BuyerAvail[b * T + t]) continue;
                var nBlock = SmeBlockers(s, b, t, blockers, out var ok);
                if (!ok) continue;
                var bt = b * T + t;
                var full = tt.BuyerCount[bt] >= c.Tables[b];
                var options = full ? tt.BuyerCount[bt] : 1;
                for (var k = 0; k < options; k++)
                {
                    var n = nBlock;
                    if (full)
                    {
                        var q = tt.BuyerPairs[bt * tt.MaxTables + k];
                        if (tt.Fixed[q] || _inChain[q]) continue;
                        blockers[n++] = q;
                    }
                    if (n == 0) continue;
                    var mark = tt.JournalMark;
                    for (var i = 0; i < n; i++) tt.Remove(blockers[i]);
                    if (tt.CanPlace(p, t, checkCaps: false))
                    {
                        tt.Place(p, t);
                        var all = true;
                        for (var i = 0; i < n && all; i++) all = TryInsert(blockers[i], depth - 1, ref budget, checkCaps: false);
                        if (all) return true;
                    }
                    tt.Rollback(mark);
                    if (budget <= 0) return false;
                }
            }
            return false;
        }
        finally
        {
            _inChain[p] = false;
        }
    }

    /// <summary>Meetings of SME s that clash with it meeting buyer b in slot t (same slot, back-to-back, travel).</summary>
    private int SmeBlockers(int s, int b, int t, Span<int> blockers, out bool ok)
    {
        var c = _c;
        var tt = _tt;
        var T = c.T;
        var n = 0;
        ok = true;
        for (var u = 0; u < T; u++)
        {
            var q = tt.SmeAt[s * T + u];
            if (q < 0) continue;
            if (u != t && tt.Clashes(s, b, t, u, q) == SlotClash.None) continue;
            if (tt.Fixed[q] || _inChain[q] || u < MinSlot) { ok = false; return 0; }
            blockers[n++] = q;
        }
        return n;
    }
}
