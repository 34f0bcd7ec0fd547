namespace Matchmaker.Core.Scheduling;

/// <summary>
/// A validated <see cref="ScheduleProblem"/> as flat index arrays. Slot indices are chronological, so "later" is a
/// larger index; availability and conflicts are precomputed so hot loops never touch strings or dictionaries.
/// </summary>
internal sealed class CompiledProblem
{
    public required ScheduleProblem Source { get; init; }
    public int T, B, S, P, H;
    public string[] SlotIds = [];
    public int[] Day = [];
    public string[] BuyerIds = [], SmeIds = [];
    public int[] Tables = [], BuyerCap = [], BuyerHall = [];
    public bool[] BuyerNb2b = [], SmeNb2b = [];
    public int[] SmeCap = [], SmeMin = [];

    /// <summary>Availability, [participant * T + slot].</summary>
    public bool[] BuyerAvail = [], SmeAvail = [];

    public int[] PairSme = [], PairBuyer = [];
    public double[] Score = [], Weight = [];
    public bool[] Requested = [];

    /// <summary>Objective value of a meeting: weight·score + bonus·requested.</summary>
    public double[] Value = [];

    /// <summary>Back-to-back neighbours of each slot (either direction), CSR over <see cref="NbList"/>.</summary>
    public int[] NbStart = [], NbList = [];

    /// <summary>The same relation as a matrix, [t * T + u], for the O(1) test of a meeting against another.</summary>
    public bool[] NbMatrix = [];

    /// <summary>Travel conflict for slot t before slot u (same day): [((t*T)+u)*H*H + h1*H + h2].</summary>
    public bool[] TravelConflict = [];

    public bool HasTravel;
    public double Penalty;
    public bool MustMode;
    public int[] LockPair = [], LockSlot = [], LockTable = [];
    public Dictionary<string, int> SlotIndex = new(StringComparer.Ordinal);
    public Dictionary<string, int> BuyerIndex = new(StringComparer.Ordinal);
    public Dictionary<string, int> SmeIndex = new(StringComparer.Ordinal);
    public Dictionary<long, int> PairIndex = [];

    /// <summary>Pair key s·B + b: small consecutive longs hash well (s&lt;&lt;32|b would collide as s^b).</summary>
    public long Key(int s, int b) => (long)s * B + b;

    public int FindPair(int s, int b) => PairIndex.TryGetValue(Key(s, b), out var p) ? p : -1;

    /// <summary>Validates and compiles; throws <see cref="ScheduleFormatException"/> naming the first bad field.</summary>
    public static CompiledProblem Compile(ScheduleProblem problem)
    {
        var o = problem.Options ?? new ProblemOptions();
        Finite(o.RequestedBonus, "options.requested_bonus", allowNegative: false);
        Finite(o.MinShortfallPenalty, "options.min_shortfall_penalty", allowNegative: false);
        Finite(o.BackToBackMaxGapMinutes, "options.back_to_back_max_gap_minutes", allowNegative: false);

        var c = new CompiledProblem { Source = problem };
        c.Penalty = o.MinShortfallPenalty;
        c.MustMode = o.RequestedMode == RequestedMode.Must;

        // Slots in chronological order (ties by id), so index order is time order everywhere else.
        var slots = problem.Slots ?? throw new ScheduleFormatException("slots", "missing");
        for (var i = 0; i < slots.Count; i++)
        {
            var sl = slots[i];
            if (string.IsNullOrEmpty(sl.Id)) throw new ScheduleFormatException($"slots[{i}].id", "missing or empty");
            if (sl.End <= sl.Start) throw new ScheduleFormatException($"slots[{i}].end", $"slot {sl.Id} ends at or before its start");
        }
        var order = Enumerable.Range(0, slots.Count)
            .OrderBy(i => slots[i].Start).ThenBy(i => slots[i].Id, StringComparer.Ordinal).ToArray();
        var T = c.T = slots.Count;
        c.SlotIds = new string[T];
        c.Day = new int[T];
        var start = new DateTime[T];
        var end = new DateTime[T];
        var days = new Dictionary<DateOnly, int>();
        for (var k = 0; k < T; k++)
        {
            var sl = slots[order[k]];
            if (!c.SlotIndex.TryAdd(sl.Id, k))
                throw new ScheduleFormatException($"slots[{order[k]}].id", $"duplicate slot id {sl.Id}");
            c.SlotIds[k] = sl.Id;
            start[k] = sl.Start;
            end[k] = sl.End;
            var d = DateOnly.FromDateTime(sl.Start);
            if (!days.TryGetValue(d, out var di)) days[d] = di = days.Count;
            c.Day[k] = di;
            if (k > 0 && start[k] < end[k - 1])
                throw new ScheduleFormatException($"slots[{order[k]}]", $"slot {sl.Id} overlaps slot {c.SlotIds[k - 1]}");
        }

        // Back-to-back neighbours: same day, 0 <= start(u) - end(t) <= gap.
        var nb = new List<int>[T];
        for (var t = 0; t < T; t++) nb[t] = [];
        for (var t = 0; t < T; t++)
            for (var u = t + 1; u < T; u++)
            {
                if (c.Day[t] != c.Day[u]) continue;
                var gap = (start[u] - end[t]).TotalMinutes;
                if (gap >= 0 && gap <= o.BackToBackMaxGapMinutes) { nb[t].Add(u); nb[u].Add(t); }
            }
        c.NbStart = new int[T + 1];
        for (var t = 0; t < T; t++) c.NbStart[t + 1] = c.NbStart[t] + nb[t].Count;
        c.NbList = nb.SelectMany(x => x.OrderBy(u => u)).ToArray();
        c.NbMatrix = new bool[T * T];
        for (var t = 0; t < T; t++) foreach (var u in nb[t]) c.NbMatrix[t * T + u] = true;

        // Halls: only meaningful with travel minutes.
        var hallIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        if (o.TravelMinutes is { Count: > 0 } tm)
        {
            foreach (var h in tm.Keys.OrderBy(x => x, StringComparer.Ordinal)) hallIndex[h] = hallIndex.Count;
            foreach (var (h1, row) in tm)
                foreach (var (h2, v) in row)
                {
                    if (!hallIndex.ContainsKey(h2))
                        throw new ScheduleFormatException($"options.travel_minutes.{h1}.{h2}", $"hall {h2} has no row of its own");
                    Finite(v, $"options.travel_minutes.{h1}.{h2}", allowNegative: false);
                }
        }
        var H = c.H = Math.Max(1, hallIndex.Count);

        var buyers = problem.Buyers ?? throw new ScheduleFormatException("buyers", "missing");
        var B = c.B = buyers.Count;
        c.BuyerIds = new string[B]; c.Tables = new int[B]; c.BuyerCap = new int[B]; c.BuyerHall = new int[B];
        c.BuyerNb2b = new bool[B]; c.BuyerAvail = new bool[B * T];
        for (var b = 0; b < B; b++)
        {
            var x = buyers[b];
            c.BuyerIds[b] = Register(c.BuyerIndex, x.Id, b, $"buyers[{b}]", "buyer");
            AtLeast(x.Tables, 1, $"buyers[{b}].tables");
            AtLeast(x.Cap, 0, $"buyers[{b}].cap");
            c.Tables[b] = x.Tables; c.BuyerCap[b] = x.Cap; c.BuyerNb2b[b] = x.NoBackToBack;
            Availability(c, x.UnavailableSlots, c.BuyerAvail, b, $"buyers[{b}].unavailable_slots");
            c.BuyerHall[b] = -1;
            if (x.Hall is not null && hallIndex.Count > 0)
            {
                if (!hallIndex.TryGetValue(x.Hall, out var h))
                    throw new ScheduleFormatException($"buyers[{b}].hall", $"hall {x.Hall} is not in options.travel_minutes");
                c.BuyerHall[b] = h;
            }
        }

        var smes = problem.Smes ?? throw new ScheduleFormatException("smes", "missing");
        var S = c.S = smes.Count;
        c.SmeIds = new string[S]; c.SmeCap = new int[S]; c.SmeMin = new int[S]; c.SmeNb2b = new bool[S];
        c.SmeAvail = new bool[S * T];
        for (var s = 0; s < S; s++)
        {
            var x = smes[s];
            c.SmeIds[s] = Register(c.SmeIndex, x.Id, s, $"smes[{s}]", "SME");
            AtLeast(x.Cap, 0, $"smes[{s}].cap");
            AtLeast(x.Min, 0, $"smes[{s}].min");
            c.SmeCap[s] = x.Cap; c.SmeMin[s] = x.Min; c.SmeNb2b[s] = x.NoBackToBack;
            Availability(c, x.UnavailableSlots, c.SmeAvail, s, $"smes[{s}].unavailable_slots");
        }

        var pairs = problem.Pairs ?? throw new ScheduleFormatException("pairs", "missing");
        var P = c.P = pairs.Count;
        c.PairSme = new int[P]; c.PairBuyer = new int[P]; c.Score = new double[P]; c.Weight = new double[P];
        c.Requested = new bool[P]; c.Value = new double[P];
        c.PairIndex.EnsureCapacity(P);
        for (var p = 0; p < P; p++)
        {
            var x = pairs[p];
            if (x.Sme is null || !c.SmeIndex.TryGetValue(x.Sme, out var s))
                throw new ScheduleFormatException($"pairs[{p}].sme", $"unknown SME {x.Sme}");
            if (x.Buyer is null || !c.BuyerIndex.TryGetValue(x.Buyer, out var b))
                throw new ScheduleFormatException($"pairs[{p}].buyer", $"unknown buyer {x.Buyer}");
            if (!c.PairIndex.TryAdd(c.Key(s, b), p))
                throw new ScheduleFormatException($"pairs[{p}]", $"duplicate pair {x.Sme}/{x.Buyer} (first at pairs[{c.PairIndex[c.Key(s, b)]}])");
            if (!(x.Score >= 0 && x.Score <= 1))
                throw new ScheduleFormatException($"pairs[{p}].score", $"must be in [0,1], got {x.Score}");
            Finite(x.Weight, $"pairs[{p}].weight", allowNegative: false);
            c.PairSme[p] = s; c.PairBuyer[p] = b; c.Score[p] = x.Score; c.Weight[p] = x.Weight;
            c.Requested[p] = x.Requested;
            c.Value[p] = x.Weight * x.Score + (x.Requested ? o.RequestedBonus : 0.0);
        }

        // Travel conflicts for every ordered slot pair of one day.
        if (hallIndex.Count > 1)
        {
            c.HasTravel = true;
            var halls = hallIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
            c.TravelConflict = new bool[T * T * H * H];
            for (var t = 0; t < T; t++)
                for (var u = t + 1; u < T; u++)
                {
                    if (c.Day[t] != c.Day[u]) continue;
                    var gap = (start[u] - end[t]).TotalMinutes;
                    for (var h1 = 0; h1 < H; h1++)
                        for (var h2 = 0; h2 < H; h2++)
                        {
                            var need = o.TravelMinutes!.TryGetValue(halls[h1], out var row) && row.TryGetValue(halls[h2], out var v) ? v : 0;
                            if (gap < need) c.TravelConflict[((t * T) + u) * H * H + h1 * H + h2] = true;
                        }
                }
        }

        CompileLocks(c, problem.Locks ?? []);
        return c;
    }

    private static void CompileLocks(CompiledProblem c, IReadOnlyList<Meeting> locks)
    {
        var n = locks.Count;
        c.LockPair = new int[n]; c.LockSlot = new int[n]; c.LockTable = new int[n];
        var smeBusy = new HashSet<long>();
        var tableBusy = new HashSet<(int, int, int)>();
        var pairSeen = new HashSet<int>();
        for (var i = 0; i < n; i++)
        {
            var m = locks[i];
            if (m.Sme is null || !c.SmeIndex.TryGetValue(m.Sme, out var s))
                throw new ScheduleFormatException($"locks[{i}].sme", $"unknown SME {m.Sme}");
            if (m.Buyer is null || !c.BuyerIndex.TryGetValue(m.Buyer, out var b))
                throw new ScheduleFormatException($"locks[{i}].buyer", $"unknown buyer {m.Buyer}");
            if (m.Slot is null || !c.SlotIndex.TryGetValue(m.Slot, out var t))
                throw new ScheduleFormatException($"locks[{i}].slot", $"unknown slot {m.Slot}");
            var p = c.FindPair(s, b);
            if (p < 0) throw new ScheduleFormatException($"locks[{i}]", $"pair {m.Sme}/{m.Buyer} is not in pairs");
            if (m.Table < 1 || m.Table > c.Tables[b])
                throw new ScheduleFormatException($"locks[{i}].table", $"must be in 1..{c.Tables[b]}, got {m.Table}");
            if (!c.SmeAvail[s * c.T + t] || !c.BuyerAvail[b * c.T + t])
                throw new ScheduleFormatException($"locks[{i}].slot", $"{m.Sme} or {m.Buyer} is unavailable in {m.Slot}");
            if (!pairSeen.Add(p)) throw new ScheduleFormatException($"locks[{i}]", $"pair {m.Sme}/{m.Buyer} is locked twice");
            if (!smeBusy.Add((long)s * c.T + t)) throw new ScheduleFormatException($"locks[{i}]", $"{m.Sme} has two locked meetings in {m.Slot}");
            if (!tableBusy.Add((b, t, m.Table))) throw new ScheduleFormatException($"locks[{i}].table", $"table {m.Table} of {m.Buyer} is locked twice in {m.Slot}");
            c.LockPair[i] = p; c.LockSlot[i] = t; c.LockTable[i] = m.Table;
        }
    }

    private static void Availability(CompiledProblem c, IReadOnlyList<string>? unavailable, bool[] avail, int who, string field)
    {
        Array.Fill(avail, true, who * c.T, c.T);
        if (unavailable is null) return;
        for (var k = 0; k < unavailable.Count; k++)
        {
            if (unavailable[k] is null || !c.SlotIndex.TryGetValue(unavailable[k], out var t))
                throw new ScheduleFormatException($"{field}[{k}]", $"unknown slot {unavailable[k]}");
            avail[who * c.T + t] = false;
        }
    }

    /// <summary>A participant's id: present and unique among its kind; returns it once its index is recorded.</summary>
    private static string Register(Dictionary<string, int> index, string? id, int i, string path, string kind)
    {
        if (string.IsNullOrEmpty(id)) throw new ScheduleFormatException($"{path}.id", "missing or empty");
        if (!index.TryAdd(id, i)) throw new ScheduleFormatException($"{path}.id", $"duplicate {kind} id {id}");
        return id;
    }

    private static void AtLeast(int v, int min, string field)
    {
        if (v < min) throw new ScheduleFormatException(field, $"must be >= {min}, got {v}");
    }

    private static void Finite(double v, string field, bool allowNegative)
    {
        if (!double.IsFinite(v) || (!allowNegative && v < 0))
            throw new ScheduleFormatException(field, $"must be a finite number{(allowNegative ? "" : " >= 0")}, got {v}");
    }

    /// <summary>Back-to-back neighbours of slot t.</summary>
    public ReadOnlySpan<int> Neighbours(int t) => NbList.AsSpan(NbStart[t], NbStart[t + 1] - NbStart[t]);

    /// <summary>Are slots t and u back-to-back (same day, a gap of at most the back-to-back limit)?</summary>
    public bool IsNeighbour(int t, int u) => NbMatrix[t * T + u];

    /// <summary>True when an SME cannot be at a hall-h1 buyer in slot a and a hall-h2 buyer in slot b (a &lt; b).</summary>
    public bool Travel(int a, int h1, int b, int h2) =>
        HasTravel && h1 >= 0 && h2 >= 0 && TravelConflict[((a * T) + b) * H * H + h1 * H + h2];

    /// <summary>Most slots a participant can use: available slots, fewer if it refuses back-to-back meetings.</summary>
    public int MaxSlots(bool[] avail, int who, bool noBackToBack)
    {
        var n = 0;
        if (!noBackToBack)
        {
            for (var t = 0; t < T; t++) if (avail[who * T + t]) n++;
            return n;
        }
        // Earliest-first greedy is optimal for this interval-like conflict graph.
        Span<bool> taken = stackalloc bool[T];
        for (var t = 0; t < T; t++)
        {
            if (!avail[who * T + t]) continue;
            var ok = true;
            foreach (var u in Neighbours(t)) if (u < t && taken[u]) { ok = false; break; }
            if (ok) { taken[t] = true; n++; }
        }
        return n;
    }
}
