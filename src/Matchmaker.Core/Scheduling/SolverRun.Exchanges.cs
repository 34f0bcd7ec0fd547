namespace Matchmaker.Core.Scheduling;

// Phase (4), the costly move: swap a pair in for the meetings blocking it; keep the swap only if the objective rises.
internal sealed partial class SolverRun
{
    /// <summary>
    /// Swaps pair p in for the meetings blocking it in some slot — its SME's clashes, one of the buyer's meetings when
    /// all tables are taken, one meeting of the SME or buyer when an event cap is reached — then re-inserts the
    /// displaced meetings elsewhere (by insertion or, <paramref name="level"/> deep, a further exchange) and offers the
    /// room they leave to their partners' next-best pairs. Every candidate is played out and measured on the real
    /// objective; the best improving one is kept, otherwise the timetable is left exactly as it was.
    /// </summary>
    internal bool TryExchange(int p, int level = 0)
    {
        var c = _c;
        var tt = _tt;
        int s = c.PairSme[p], b = c.PairBuyer[p];
        var T = c.T;
        if (tt.PairSlot[p] >= 0 || _inChain[p]) return false;
        if (Worth(p) + (tt.SmeTotal[s] < c.SmeMin[s] ? c.Penalty : 0) <= 1e-9) return false;
        Span<int> blockers = stackalloc int[T + 4];
        var tableOpts = new List<int>();
        var smeOpts = new List<int>();
        var buyerOpts = new List<int>();
        (int T, int Q1, int Q2, int Q3) best = (-1, -1, -1, -1);
        var bestDelta = 1e-9;
        _inChain[p] = true;
        try
        {
            for (var pass = 0; pass < 2; pass++)
            {
                // Pass 0 measures every candidate; pass 1 replays the best one.
                for (var t = pass == 0 ? MinSlot : best.T; t < (pass == 0 ? T : best.T + 1); t++)
                {
                    if (t < 0 || !c.SmeAvail[s * T + t] || !c.BuyerAvail[b * T + t]) continue;
                    var nBlock = SmeBlockers(s, b, t, blockers, out var ok);
                    if (!ok) continue;
                    var bt = b * T + t;
                    tableOpts.Clear();
                    if (tt.BuyerCount[bt] >= c.Tables[b])
                    {
                        for (var k = 0; k < tt.BuyerCount[bt]; k++)
                        {
                            var q = tt.BuyerPairs[bt * tt.MaxTables + k];
                            if (!tt.Fixed[q] && !_inChain[q]) tableOpts.Add(q);
                        }
                        tableOpts.Sort();
                    }
                    else tableOpts.Add(-1);
                    foreach (var q1 in tableOpts)
                    {
                        var n1 = nBlock;
                        if (q1 >= 0) blockers[n1++] = q1;
                        CapOptions(smeOpts, s, blockers[..n1], bySme: true);
                        foreach (var q2 in smeOpts)
                        {
                            var n2 = n1;
                            if (q2 >= 0) blockers[n2++] = q2;
                            CapOptions(buyerOpts, b, blockers[..n2], bySme: false);
                            foreach (var q3 in buyerOpts)
                            {
                                if (pass == 1 && (q1, q2, q3) != (best.Q1, best.Q2, best.Q3)) continue;
                                var n = n2;
                                if (q3 >= 0) blockers[n++] = q3;
                                var mark = tt.JournalMark;
                                var removed = blockers[..n].ToArray();
                                foreach (var q in removed) tt.Remove(q);
                                if (!tt.CanPlace(p, t, checkCaps: true)) { tt.Rollback(mark); continue; }
                                tt.Place(p, t);
                                foreach (var q in removed)
                                {
                                    var budget = _o.EjectionBudget / 8;
                                    if (!TryInsert(q, 1, ref budget, checkCaps: true) && level < 1) TryExchange(q, level + 1);
                                }
                                foreach (var q in removed) if (tt.PairSlot[q] < 0) FillAround(q, level);
                                var delta = JournalDelta(mark);
                                if (pass == 1 && delta > 1e-9) return true;
                                tt.Rollback(mark);
                                if (pass == 1) return false;
                                if (delta > bestDelta) { bestDelta = delta; best = (t, q1, q2, q3); }
                            }
                        }
                    }
                }
                if (best.T < 0) return false;
            }
            return false;
        }
        finally
        {
            _inChain[p] = false;
        }
    }

    /// <summary>
    /// Meetings whose removal would bring SME (or buyer) <paramref name="who"/> under its event cap, given that
    /// <paramref name="removed"/> go anyway; {-1} when the cap is not binding.
    /// </summary>
    private void CapOptions(List<int> opts, int who, ReadOnlySpan<int> removed, bool bySme)
    {
        var c = _c;
        var tt = _tt;
        var T = c.T;
        opts.Clear();
        var gone = 0;
        foreach (var q in removed) if ((bySme ? c.PairSme[q] : c.PairBuyer[q]) == who) gone++;
        var binding = bySme ? tt.SmeTotal[who] - gone >= c.SmeCap[who] : tt.BuyerTotal[who] - gone >= c.BuyerCap[who];
        if (!binding) { opts.Add(-1); return; }
        for (var u = MinSlot; u < T; u++)
        {
            if (bySme)
            {
                var q = tt.SmeAt[who * T + u];
                if (q >= 0 && !tt.Fixed[q] && !_inChain[q] && !removed.Contains(q)) opts.Add(q);
            }
            else
            {
                var bu = who * T + u;
                for (var k = 0; k < tt.BuyerCount[bu]; k++)
                {
                    var q = tt.BuyerPairs[bu * tt.MaxTables + k];
                    if (!tt.Fixed[q] && !_inChain[q] && !removed.Contains(q)) opts.Add(q);
                }
            }
        }
        opts.Sort();
    }

    /// <summary>Objective change caused by the journal entries since <paramref name="mark"/> (values and floors).</summary>
    private double JournalDelta(int mark)
    {
        var c = _c;
        var tt = _tt;
        var entries = tt.JournalSince(mark);
        double d = 0;
        var smes = new Dictionary<int, int>();
        var seen = new HashSet<int>();
        foreach (var (pair, _, _) in entries)
        {
            if (!seen.Add(pair)) continue;
            var before = FirstFrom(entries, pair) >= 0;
            var after = tt.PairSlot[pair] >= 0;
            if (before == after) continue;
            var sign = after ? 1 : -1;
            d += sign * Worth(pair);
            var sme = c.PairSme[pair];
            smes[sme] = smes.GetValueOrDefault(sme) + sign;
        }
        foreach (var (sme, change) in smes)
        {
            var now = tt.SmeTotal[sme];
            var min = c.SmeMin[sme];
            d -= c.Penalty * (Math.Max(0, min - now) - Math.Max(0, min - (now - change)));
        }
        return d;
    }

    private static int FirstFrom(List<(int Pair, int From, int To)> entries, int pair)
    {
        foreach (var e in entries) if (e.Pair == pair) return e.From;
        return -1;
    }
}
