using System.Runtime.CompilerServices;

namespace Matchmaker.Core.Scheduling;

/// <summary>
/// The solver's mutable schedule over a <see cref="CompiledProblem"/> (not the stored, versioned timetable of
/// <c>Timetables/</c>): which pair meets in which slot, with the counters every
/// feasibility test needs (flat arrays indexed [participant * T + slot]). Tables are numbered at the end
/// (<see cref="AssignTables"/>) except for locks, which keep theirs. Every change goes through <see cref="Place"/> and
/// <see cref="Remove"/>, which a journal can undo.
/// </summary>
internal sealed class WorkingSchedule
{
    public readonly CompiledProblem C;
    public readonly int[] SmeAt;         // [s*T+t] pair or -1
    public readonly int[] BuyerCount;    // [b*T+t]
    public readonly int[] BuyerPairs;    // [(b*T+t)*MaxTables + k]
    public readonly int[] SmeTotal, BuyerTotal;
    public readonly int[] PairSlot;      // -1 = not scheduled
    public readonly bool[] Fixed;        // locks (never moved)
    public readonly int[] FixedTable;    // table of a locked meeting, else 0
    public readonly int MaxTables;
    private readonly List<(int Pair, int From, int To)> _journal = [];

    public WorkingSchedule(CompiledProblem c)
    {
        C = c;
        SmeAt = new int[c.S * c.T];
        Array.Fill(SmeAt, -1);
        BuyerCount = new int[c.B * c.T];
        MaxTables = c.B == 0 ? 1 : c.Tables.Max();
        BuyerPairs = new int[c.B * c.T * MaxTables];
        SmeTotal = new int[c.S];
        BuyerTotal = new int[c.B];
        PairSlot = new int[c.P];
        Array.Fill(PairSlot, -1);
        Fixed = new bool[c.P];
        FixedTable = new int[c.P];
    }

    /// <summary>Places the organiser's locks (validated at compile time, so they always fit).</summary>
    public void PlaceLocks()
    {
        for (var i = 0; i < C.LockPair.Length; i++)
        {
            var p = C.LockPair[i];
            Fixed[p] = true;
            FixedTable[p] = C.LockTable[i];
            Place(p, C.LockSlot[i]);
        }
    }

    public int JournalMark => _journal.Count;

    /// <summary>Recounts everything from <see cref="PairSlot"/>; for tests (throws on the first mismatch).</summary>
    internal void AssertConsistent(string where)
    {
        var c = C;
        var bc = new int[c.B * c.T];
        var st = new int[c.S];
        for (var p = 0; p < c.P; p++)
        {
            var t = PairSlot[p];
            if (t < 0) continue;
            bc[c.PairBuyer[p] * c.T + t]++;
            st[c.PairSme[p]]++;
            if (SmeAt[c.PairSme[p] * c.T + t] != p) throw new InvalidOperationException($"{where}: SmeAt wrong for pair {p}");
        }
        for (var i = 0; i < bc.Length; i++)
        {
            if (bc[i] != BuyerCount[i]) throw new InvalidOperationException($"{where}: BuyerCount wrong at {i}: {BuyerCount[i]} vs {bc[i]}");
            if (bc[i] > c.Tables[i / c.T]) throw new InvalidOperationException($"{where}: over tables at {i}");
        }
        for (var s = 0; s < c.S; s++) if (st[s] != SmeTotal[s]) throw new InvalidOperationException($"{where}: SmeTotal wrong for {s}");
    }

    /// <summary>Undoes every change made since <paramref name="mark"/>.</summary>
    public void Rollback(int mark)
    {
        for (var i = _journal.Count - 1; i >= mark; i--)
        {
            var (p, from, to) = _journal[i];
            if (to >= 0) Unplace(p, to);
            if (from >= 0) PutAt(p, from);
        }
        _journal.RemoveRange(mark, _journal.Count - mark);
    }

    public void Commit() => _journal.Clear();

    /// <summary>Journal entries (pair, from slot, to slot; -1 = unscheduled) since <paramref name="mark"/>.</summary>
    public List<(int Pair, int From, int To)> JournalSince(int mark) => _journal.GetRange(mark, _journal.Count - mark);

    public void Place(int p, int t)
    {
        _journal.Add((p, -1, t));
        PutAt(p, t);
    }

    public void Remove(int p)
    {
        var t = PairSlot[p];
        _journal.Add((p, t, -1));
        Unplace(p, t);
    }

    private void PutAt(int p, int t)
    {
        var s = C.PairSme[p];
        var b = C.PairBuyer[p];
        var T = C.T;
        SmeAt[s * T + t] = p;
        var bt = b * T + t;
        BuyerPairs[bt * MaxTables + BuyerCount[bt]] = p;
        BuyerCount[bt]++;
        SmeTotal[s]++;
        BuyerTotal[b]++;
        PairSlot[p] = t;
    }

    private void Unplace(int p, int t)
    {
        var s = C.PairSme[p];
        var b = C.PairBuyer[p];
        var T = C.T;
        SmeAt[s * T + t] = -1;
        var bt = b * T + t;
        var baseIdx = bt * MaxTables;
        var n = BuyerCount[bt];
        for (var k = 0; k < n; k++)
            if (BuyerPairs[baseIdx + k] == p) { BuyerPairs[baseIdx + k] = BuyerPairs[baseIdx + n - 1]; break; }
        BuyerCount[bt] = n - 1;
        SmeTotal[s]--;
        BuyerTotal[b]--;
        PairSlot[p] = -1;
    }

    /// <summary>Can pair p meet in slot t now? <paramref name="checkCaps"/> is false when p is being moved, not added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CanPlace(int p, int t, bool checkCaps = true) => Check(C.PairSme[p], C.PairBuyer[p], t, checkCaps) == SlotClash.None;

    /// <summary>
    /// The availability rule, the one place that decides whether SME s can meet buyer b in slot t given the meetings
    /// placed so far; <see cref="SlotClash.None"/> when it can, else the first reason it cannot. The solver, the repair
    /// and <see cref="SlotAvailability"/> (free slots, bookings and moves in the product) all ask here.
    /// <paramref name="checkCaps"/> is false when the meeting is being moved, not added. The cheap tests come first:
    /// the solver asks this in its innermost loops.
    /// </summary>
    public SlotClash Check(int s, int b, int t, bool checkCaps = true)
    {
        var c = C;
        var T = c.T;
        if (!c.SmeAvail[s * T + t]) return SlotClash.SmeAway;
        if (!c.BuyerAvail[b * T + t]) return SlotClash.BuyerAway;
        if (SmeAt[s * T + t] >= 0) return SlotClash.SmeBusy;
        if (BuyerCount[b * T + t] >= c.Tables[b]) return SlotClash.TablesFull;
        if (checkCaps && SmeTotal[s] >= c.SmeCap[s]) return SlotClash.SmeCapReached;
        if (checkCaps && BuyerTotal[b] >= c.BuyerCap[b]) return SlotClash.BuyerCapReached;
        var clash = SmeMeetingsClash(s, b, t);
        if (clash != SlotClash.None) return clash;
        return BuyerBackToBackOk(b, t) ? SlotClash.None : SlotClash.BuyerBackToBack;
    }

    /// <summary>
    /// The SME's side of <see cref="Check"/> (the buyer's tables and the caps left out): both sides present in slot t,
    /// the SME in no other meeting then and none of its meetings that day clashing.
    /// </summary>
    public SlotClash SmeClash(int s, int b, int t)
    {
        var c = C;
        var T = c.T;
        if (!c.SmeAvail[s * T + t]) return SlotClash.SmeAway;
        if (!c.BuyerAvail[b * T + t]) return SlotClash.BuyerAway;
        if (SmeAt[s * T + t] >= 0) return SlotClash.SmeBusy;
        return SmeMeetingsClash(s, b, t);
    }

    /// <summary>The first of SME s's meetings that day that clashes with it meeting buyer b in slot t (<see cref="Clashes"/>).</summary>
    private SlotClash SmeMeetingsClash(int s, int b, int t)
    {
        var c = C;
        if (!c.SmeNb2b[s] && !c.HasTravel) return SlotClash.None;
        var T = c.T;
        var day = c.Day[t];
        for (var u = t - 1; u >= 0 && c.Day[u] == day; u--)
        {
            var q = SmeAt[s * T + u];
            if (q >= 0 && Clashes(s, b, t, u, q) is var clash and not SlotClash.None) return clash;
        }
        for (var u = t + 1; u < T && c.Day[u] == day; u++)
        {
            var q = SmeAt[s * T + u];
            if (q >= 0 && Clashes(s, b, t, u, q) is var clash and not SlotClash.None) return clash;
        }
        return SlotClash.None;
    }

    /// <summary>
    /// Does SME s meeting buyer b in slot t clash with the SME's meeting q in another slot u: back-to-back when the SME
    /// refuses those, or the changeover between the two slots shorter than the walk between the buyers' halls?
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SlotClash Clashes(int s, int b, int t, int u, int q)
    {
        var c = C;
        if (c.SmeNb2b[s] && c.IsNeighbour(t, u)) return SlotClash.SmeBackToBack;
        if (c.HasTravel && c.Day[u] == c.Day[t] && (u < t
                ? c.Travel(u, c.BuyerHall[c.PairBuyer[q]], t, c.BuyerHall[b])
                : c.Travel(t, c.BuyerHall[b], u, c.BuyerHall[c.PairBuyer[q]])))
            return SlotClash.HallTravel;
        return SlotClash.None;
    }

    /// <summary>A no-back-to-back buyer: meetings(t) + 1 + meetings(u) ≤ tables for each neighbour u.</summary>
    public bool BuyerBackToBackOk(int b, int t)
    {
        var c = C;
        if (!c.BuyerNb2b[b]) return true;
        var T = c.T;
        var here = BuyerCount[b * T + t] + 1;
        foreach (var u in c.Neighbours(t))
            if (here + BuyerCount[b * T + u] > c.Tables[b]) return false;
        return true;
    }

    /// <summary>Objective of the current timetable: Σ value − penalty · Σ shortfall below floors.</summary>
    public double Objective(out int meetings, out int smesBelowMin, out int shortfall)
    {
        var c = C;
        double v = 0;
        meetings = 0;
        for (var p = 0; p < c.P; p++)
            if (PairSlot[p] >= 0) { v += c.Value[p]; meetings++; }
        smesBelowMin = 0;
        shortfall = 0;
        for (var s = 0; s < c.S; s++)
        {
            var sh = c.SmeMin[s] - SmeTotal[s];
            if (sh > 0) { shortfall += sh; smesBelowMin++; }
        }
        return v - c.Penalty * shortfall;
    }

    /// <summary>
    /// Table numbers 1..tables per meeting. Locks keep theirs; a no-back-to-back buyer never reuses a table in
    /// back-to-back slots when the counts allow it (chronological greedy, tables used by neighbours avoided first).
    /// </summary>
    public int[] AssignTables()
    {
        var c = C;
        var T = c.T;
        var table = new int[c.P];
        Span<bool> used = stackalloc bool[MaxTables + 1];
        Span<bool> blocked = stackalloc bool[MaxTables + 1];
        Span<int> pendingBuf = stackalloc int[MaxTables];
        for (var b = 0; b < c.B; b++)
        {
            for (var t = 0; t < T; t++)
            {
                var bt = b * T + t;
                var n = BuyerCount[bt];
                if (n == 0) continue;
                used.Clear();
                blocked.Clear();
                for (var k = 0; k < n; k++)
                {
                    var p = BuyerPairs[bt * MaxTables + k];
                    if (Fixed[p] && FixedTable[p] > 0) { table[p] = FixedTable[p]; used[FixedTable[p]] = true; }
                }
                if (c.BuyerNb2b[b])
                {
                    foreach (var u in c.Neighbours(t))
                    {
                        var bu = b * T + u;
                        for (var k = 0; k < BuyerCount[bu]; k++)
                        {
                            var q = BuyerPairs[bu * MaxTables + k];
                            // Earlier slots are numbered already; later slots only constrain through locks.
                            if (u < t || (Fixed[q] && FixedTable[q] > 0)) blocked[u < t ? table[q] : FixedTable[q]] = true;
                        }
                    }
                }
                // Deterministic order inside a slot: by SME id.
                var pending = pendingBuf;
                var m = 0;
                for (var k = 0; k < n; k++)
                {
                    var p = BuyerPairs[bt * MaxTables + k];
                    if (!(Fixed[p] && FixedTable[p] > 0)) pending[m++] = p;
                }
                pending = pending[..m];
                SortBySme(pending);
                foreach (var p in pending)
                {
                    var pick = 0;
                    for (var k = 1; k <= c.Tables[b] && pick == 0; k++) if (!used[k] && !blocked[k]) pick = k;
                    for (var k = 1; k <= c.Tables[b] && pick == 0; k++) if (!used[k]) pick = k;
                    used[pick] = true;
                    table[p] = pick;
                }
            }
        }
        return table;
    }

    private void SortBySme(Span<int> pairs)
    {
        for (var i = 1; i < pairs.Length; i++)
        {
            var x = pairs[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(C.SmeIds[C.PairSme[pairs[j]]], C.SmeIds[C.PairSme[x]]) > 0) { pairs[j + 1] = pairs[j]; j--; }
            pairs[j + 1] = x;
        }
    }
}
