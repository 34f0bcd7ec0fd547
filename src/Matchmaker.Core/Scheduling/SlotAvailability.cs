namespace Matchmaker.Core.Scheduling;

/// <summary>
/// The availability rule over a timetable that already holds meetings, in the scheduler's ids: can an SME and a buyer
/// meet in a slot (and if not, why), which slots do they both have free, which table is free. It answers with the
/// code the solver places meetings by (<see cref="WorkingSchedule.Check"/>): so a slot offered to an SME is one the
/// solver would accept, and a booking or a move the solver would refuse is refused. Pure: it reads nothing but its inputs.
/// </summary>
public sealed class SlotAvailability
{
    private readonly CompiledProblem _c;
    private readonly WorkingSchedule _tt;
    private readonly HashSet<(int Buyer, int Slot, int Table)> _tables = [];
    private readonly HashSet<(int Sme, int Slot)> _overbooked = [];
    private readonly HashSet<(int Sme, int Buyer)> _meets = [];

    /// <param name="problem">
    /// Slots, SMEs and buyers (availability, tables, caps, halls) and options (back-to-back limit, travel minutes); its
    /// pairs and locks are not used.
    /// </param>
    /// <param name="timetable">
    /// The meetings already there (table 0 = not numbered yet). Meetings of an SME, buyer or slot the problem does not
    /// know are left out: they cannot clash with anyone who is there.
    /// </param>
    public SlotAvailability(ScheduleProblem problem, IEnumerable<Meeting> timetable)
    {
        var smes = problem.Smes.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var buyers = problem.Buyers.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        var slots = problem.Slots.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var known = timetable.Where(m => smes.Contains(m.Sme) && buyers.Contains(m.Buyer) && slots.Contains(m.Slot)).ToList();
        var pairs = known.Select(m => (m.Sme, m.Buyer)).Distinct().Select(p => new PairDef(p.Sme, p.Buyer, 0)).ToList();
        _c = CompiledProblem.Compile(problem with { Pairs = pairs, Locks = null });
        _tt = new WorkingSchedule(_c);
        foreach (var m in known)
        {
            int s = _c.SmeIndex[m.Sme], b = _c.BuyerIndex[m.Buyer], t = _c.SlotIndex[m.Slot];
            _meets.Add((s, b));
            if (m.Table > 0) _tables.Add((b, t, m.Table));
            // What the store holds need not obey today's settings (tables removed, history): such a meeting still
            // occupies its SME, but the schedule's counters have room for exactly the tables there are.
            if (_tt.SmeAt[s * _c.T + t] >= 0 || _tt.BuyerCount[b * _c.T + t] >= _c.Tables[b]) _overbooked.Add((s, t));
            else _tt.Place(_c.FindPair(s, b), t);
        }
        _tt.Commit();
    }

    /// <summary>
    /// Why <paramref name="sme"/> cannot meet <paramref name="buyer"/> in <paramref name="slot"/>, at
    /// <paramref name="table"/> if one is named; <see cref="SlotClash.None"/> when it can. For a meeting being moved,
    /// leave it out of the timetable given. The event caps on meetings are not applied: they bound how many meetings the
    /// optimiser gives a participant, while a booking or a move here is the participants' or the organiser's own choice.
    /// </summary>
    /// <exception cref="ArgumentException">The SME, buyer or slot is not in the problem.</exception>
    public SlotClash Check(string sme, string buyer, string slot, int? table = null)
    {
        var (s, b, t) = (Index(_c.SmeIndex, sme, nameof(sme)), Index(_c.BuyerIndex, buyer, nameof(buyer)), Index(_c.SlotIndex, slot, nameof(slot)));
        if (table is { } k && (k < 1 || k > _c.Tables[b])) return SlotClash.NoSuchTable;
        if (_overbooked.Contains((s, t))) return SlotClash.SmeBusy;
        var clash = _tt.Check(s, b, t, checkCaps: false);
        // A named table that is taken says more than "every table is taken".
        if (table is { } taken && clash is SlotClash.None or SlotClash.TablesFull && _tables.Contains((b, t, taken))) return SlotClash.TableTaken;
        // A pair meets once (the solver places each pair in one slot at most).
        return clash == SlotClash.None && _meets.Contains((s, b)) ? SlotClash.PairMeets : clash;
    }

    /// <summary>The slots, in time order, in which <paramref name="sme"/> can meet <paramref name="buyer"/>.</summary>
    public IReadOnlyList<string> FreeSlots(string sme, string buyer)
    {
        var free = new List<string>();
        for (var t = 0; t < _c.T; t++)
            if (Check(sme, buyer, _c.SlotIds[t]) == SlotClash.None) free.Add(_c.SlotIds[t]);
        return free;
    }

    /// <summary>
    /// The lowest-numbered table of <paramref name="buyer"/> with no meeting in <paramref name="slot"/>, or null. A buyer
    /// who takes no back-to-back meetings gets a table not used in the neighbouring slots where one is left (as the
    /// solver numbers tables).
    /// </summary>
    public int? FreeTable(string buyer, string slot)
    {
        var (b, t) = (Index(_c.BuyerIndex, buyer, nameof(buyer)), Index(_c.SlotIndex, slot, nameof(slot)));
        if (_c.BuyerNb2b[b])
            for (var k = 1; k <= _c.Tables[b]; k++)
            {
                var rested = !_tables.Contains((b, t, k));
                foreach (var u in _c.Neighbours(t)) rested &= !_tables.Contains((b, u, k));
                if (rested) return k;
            }
        for (var k = 1; k <= _c.Tables[b]; k++) if (!_tables.Contains((b, t, k))) return k;
        return null;
    }

    private static int Index(Dictionary<string, int> index, string id, string what) =>
        index.TryGetValue(id, out var i) ? i : throw new ArgumentException($"unknown {what} {id}", what);
}
