namespace Matchmaker.Core.Scheduling;

/// <summary>One solve: holds the timetable, the clock and the search scratch state.</summary>
internal sealed partial class SolverRun
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
}
