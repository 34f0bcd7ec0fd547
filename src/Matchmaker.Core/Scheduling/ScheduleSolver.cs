using System.Diagnostics;

namespace Matchmaker.Core.Scheduling;

/// <summary>
/// The timetable optimiser: (1) choose pairs by a max-weight b-matching that ignores slot clashes (its value is the
/// upper bound), (2) give them slots one slot at a time in chronological order by a max-weight matching that favours
/// tight participants, (3) re-insert what did not fit by ejection chains (Kempe-style moves of blocking meetings), then
/// (4) fill freed capacity with the next-best pairs, SMEs below their floor first. Deterministic for an input and seed.
/// </summary>
public static class ScheduleSolver
{
    /// <summary>Solves <paramref name="problem"/>; throws <see cref="ScheduleFormatException"/> if it is inconsistent.</summary>
    public static ScheduleResult Solve(ScheduleProblem problem, SchedulingOptions? options = null, TimeProvider? time = null)
    {
        var c = CompiledProblem.Compile(problem);
        return new SolverRun(c, options ?? new SchedulingOptions(), time ?? TimeProvider.System).Run();
    }

    /// <summary>Checks ids, duplicates, overlaps, ranges and locks; throws <see cref="ScheduleFormatException"/> naming the field.</summary>
    public static void Validate(ScheduleProblem problem) => CompiledProblem.Compile(problem);
}

/// <summary>One solve: holds the timetable, the clock and the search scratch state.</summary>
internal sealed class SolverRun
{
    /// <summary>Objective values are scaled to integers for the flows; 1e-6 matches the 3-6 decimals of scores.</summary>
    internal const double Scale = 1e6;

    private readonly CompiledProblem _c;
    private readonly SchedulingOptions _o;
    private readonly TimeProvider _time;
    private readonly long _t0;
    private readonly WorkingSchedule _tt;
    private readonly bool[] _inChain;
    private readonly Dictionary<string, double> _times = [];
    private int[] _slotOrder;
    private List<int>[]? _byS, _byB;
    private readonly double _mustWorth;
    private long _phaseStart;

    public SolverRun(CompiledProblem c, SchedulingOptions o, TimeProvider time)
    {
        _c = c; _o = o; _time = time;
        _t0 = time.GetTimestamp();
        _phaseStart = _t0;
        _tt = new WorkingSchedule(c);
        _inChain = new bool[c.P];
        _slotOrder = Enumerable.Range(0, c.T).ToArray();
        if (c.MustMode)
        {
            double total = 0;
            for (var p = 0; p < c.P; p++) total += c.Value[p];
            for (var sme = 0; sme < c.S; sme++) total += c.Penalty * c.SmeMin[sme];
            _mustWorth = total + 1;
        }
    }

    internal WorkingSchedule Table => _tt;

    /// <summary>Repair only: slots before this one are history; nothing is placed or moved there.</summary>
    internal int MinSlot { get; set; }

    /// <summary>Tests only: how many best arcs per SME the first flow round keeps (default 2·limit + 8).</summary>
    [ThreadStatic]
    internal static int? ArcsPerSmeOverride;

    /// <summary>Tests only: recount the timetable after every fill step.</summary>
    [ThreadStatic]
    internal static bool DebugChecks;

    private bool TimeUp() => _time.GetElapsedTime(_t0) >= _o.EffectiveTimeLimit;

    private void Phase(string name)
    {
        var now = _time.GetTimestamp();
        _times[name] = Math.Round(_time.GetElapsedTime(_phaseStart, now).TotalSeconds, 4);
        _phaseStart = now;
    }

    public ScheduleResult Run()
    {
        _tt.PlaceLocks();
        var (chosen, bound) = SelectPairs();
        Phase("flow");
        AssignSlots(chosen);
        Phase("slot_assign");
        var unplaced = chosen.Where(p => _tt.PairSlot[p] < 0).ToList();
        if (unplaced.Count > 0)
        {
            ReinsertRounds(unplaced);
            Phase("ejection");
        }
        if (unplaced.Count > 0 || bound is null)
        {
            // Some chosen pairs found no slot: their SMEs and buyers have room for the next-best pairs.
            FillFloors();
            FillRest(unplaced);
            Phase("fill");
        }
        return Build(bound, _tt, _times, _time.GetElapsedTime(_t0));
    }

    // ------------------------------------------------------------------ (1) pair selection: the flow bound

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

    // ------------------------------------------------------------------ (2) slots, one matching per slot

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

    // ------------------------------------------------------------------ (3) ejection chains

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
    /// What a meeting is worth to the local search: its objective value, plus (must mode) a weight above any sum of
    /// values and penalties for must-meet pairs, so searches place them first and never trade one away.
    /// </summary>
    private double Worth(int p) => _c.MustMode && _c.Requested[p] ? _c.Value[p] + _mustWorth : _c.Value[p];

    /// <summary>Worth desc, then SME id, then buyer id (ascending).</summary>
    private int CompareByValue(int x, int y)
    {
        var c = _c;
        var cmp = Worth(y).CompareTo(Worth(x));
        if (cmp != 0) return cmp;
        cmp = string.CompareOrdinal(c.SmeIds[c.PairSme[x]], c.SmeIds[c.PairSme[y]]);
        return cmp != 0 ? cmp : string.CompareOrdinal(c.BuyerIds[c.PairBuyer[x]], c.BuyerIds[c.PairBuyer[y]]);
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

    // ------------------------------------------------------------------ (4) fill

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

    // ------------------------------------------------------------------ result

    internal static ScheduleResult Build(double? bound, WorkingSchedule tt, Dictionary<string, double> times, TimeSpan total, string? fixedStatus = null)
    {
        var c = tt.C;
        var obj = tt.Objective(out var meetings, out var below, out var shortfall);
        var tables = tt.AssignTables();
        var list = new List<(int T, string B, int Table, int P)>(meetings);
        double scoreSum = 0;
        int reqSched = 0, reqTotal = 0;
        var missing = new List<(string, string)>();
        for (var p = 0; p < c.P; p++)
        {
            if (c.Requested[p]) reqTotal++;
            var t = tt.PairSlot[p];
            if (t < 0)
            {
                if (c.MustMode && c.Requested[p]) missing.Add((c.SmeIds[c.PairSme[p]], c.BuyerIds[c.PairBuyer[p]]));
                continue;
            }
            scoreSum += c.Score[p];
            if (c.Requested[p]) reqSched++;
            list.Add((t, c.BuyerIds[c.PairBuyer[p]], tables[p], p));
        }
        list.Sort((x, y) => x.T != y.T ? x.T.CompareTo(y.T)
            : string.CompareOrdinal(x.B, y.B) is var k and not 0 ? k : x.Table.CompareTo(y.Table));
        var assignments = list.Select(x => new Meeting(c.SmeIds[c.PairSme[x.P]], x.B, c.SlotIds[x.T], x.Table)).ToList();
        double? gap = null;
        string status;
        if (fixedStatus is not null) status = missing.Count > 0 ? "requested_missing" : fixedStatus;
        else if (bound is null) status = "time_limit";
        else
        {
            var bnd = bound.Value;
            gap = bnd == 0 ? (obj >= 0 ? 0 : 1) : Math.Max(0, (bnd - obj) / Math.Abs(bnd));
            gap = Math.Round(gap.Value, 9);
            status = missing.Count > 0 ? "requested_missing"
                : obj >= bnd - 1e-7 * Math.Max(1, Math.Abs(bnd)) ? "optimal" : "feasible";
            if (status == "optimal") gap = 0;
        }
        times["total"] = Math.Round(total.TotalSeconds, 4);
        return new ScheduleResult(assignments, Math.Round(obj, 6), bound is null ? null : Math.Round(bound.Value, 6), gap,
            meetings, below, shortfall, Math.Round(scoreSum, 6), reqSched, reqTotal, status, missing, times);
    }
}
