namespace Matchmaker.Core.Scheduling;

/// <summary>
/// Repairs a published timetable after changes. Every published meeting the change does not touch stays exactly where
/// it is (slot and table) unless moving it lets a more valuable meeting in by more than
/// <see cref="RepairOptions.MovePenalty"/> per moved meeting. Meetings the change breaks are re-placed if they can be,
/// new pairs (walk-ins, newly accepted requests) are inserted, and freed SME/buyer slots are refilled from the standby
/// list (best unscheduled pairs of the participants who lost a meeting).
/// </summary>
public static class ScheduleRepair
{
    /// <summary>Applies <paramref name="changes"/> to <paramref name="problem"/> and repairs <paramref name="published"/>.</summary>
    public static RepairResult Repair(ScheduleProblem problem, IReadOnlyList<Meeting> published, IReadOnlyList<ScheduleChange> changes,
        RepairOptions? options = null, TimeProvider? time = null)
    {
        options ??= new RepairOptions();
        time ??= TimeProvider.System;
        var t0 = time.GetTimestamp();
        var c0 = CompiledProblem.Compile(problem);
        var applied = Apply(problem, c0, changes);
        var c = CompiledProblem.Compile(applied.Problem);
        var run = new SolverRun(c, new SchedulingOptions(EjectionDepth: options.EjectionDepth, EjectionBudget: 2000), time);
        var tt = run.Table;
        tt.PlaceLocks();
        run.MinSlot = applied.Now;

        // 1. Published meetings in a fixed order; what still fits stays put with its table, the rest is displaced.
        var pubPair = new int[published.Count];
        var pubSlot = new int[published.Count];
        var pubTable = new int[published.Count];
        var reason = new string?[published.Count];
        var usedTable = new HashSet<(int B, int T, int K)>();
        for (var i = 0; i < c.LockPair.Length; i++) usedTable.Add((c.PairBuyer[c.LockPair[i]], c.LockSlot[i], c.LockTable[i]));
        for (var i = 0; i < published.Count; i++)
        {
            var m = published[i];
            var path = $"published.assignments[{i}]";
            if (!c.SmeIndex.TryGetValue(m.Sme, out var s)) throw new ScheduleFormatException($"{path}.sme", $"unknown SME {m.Sme}");
            if (!c.BuyerIndex.TryGetValue(m.Buyer, out var b)) throw new ScheduleFormatException($"{path}.buyer", $"unknown buyer {m.Buyer}");
            if (!c.SlotIndex.TryGetValue(m.Slot, out var t)) throw new ScheduleFormatException($"{path}.slot", $"unknown slot {m.Slot}");
            var p = c.FindPair(s, b);
            if (p < 0) throw new ScheduleFormatException(path, $"pair {m.Sme}/{m.Buyer} is not in the instance's pairs");
            pubPair[i] = p; pubSlot[i] = t;
            pubTable[i] = applied.MapTable(m.Buyer, m.Table, out var tableReason);
            reason[i] = tableReason;
            // Meetings before "now" have happened: they stay exactly as published whatever the changes say. The format
            // has one table count per buyer for the whole event, so a removed table must not have been in use then.
            if (t < applied.Now)
            {
                if (applied.RemovedTables.ContainsKey(m.Buyer) && m.Table > c.Tables[b])
                    throw new ScheduleFormatException("changes", new Messages.Message("repair.table_used_before_now", m.Buyer, m.Table, m.Slot));
                pubTable[i] = m.Table;
                reason[i] = null;
            }
        }
        var order = Enumerable.Range(0, published.Count)
            .OrderBy(i => pubSlot[i]).ThenBy(i => published[i].Buyer, StringComparer.Ordinal).ThenBy(i => pubTable[i]).ToArray();
        var wasPublished = new bool[c.P];
        var freedS = new HashSet<(int S, int T)>();
        var freedB = new HashSet<(int B, int T)>();
        var displaced = new List<int>();
        foreach (var i in order)
        {
            var p = pubPair[i];
            int t = pubSlot[i], s = c.PairSme[p], b = c.PairBuyer[p];
            wasPublished[p] = true;
            if (tt.PairSlot[p] == t) continue; // a lock that was published: already in place
            reason[i] ??= applied.Reason(published[i], t)
                ?? (tt.PairSlot[p] >= 0 ? "duplicate" : !tt.CanPlace(p, t, checkCaps: true) || (pubTable[i] > 0 && usedTable.Contains((b, t, pubTable[i]))) ? "conflict" : null);
            if (reason[i] is null)
            {
                tt.Place(p, t);
                tt.Fixed[p] = true;
                tt.FixedTable[p] = pubTable[i];
                // A published meeting without a table stays in its slot; AssignTables numbers it.
                if (pubTable[i] > 0) usedTable.Add((b, t, pubTable[i]));
                continue;
            }
            freedS.Add((s, t));
            freedB.Add((b, t));
            if (tt.PairSlot[p] < 0) displaced.Add(p);
        }
        tt.Commit();
        var keptSlot = (int[])tt.PairSlot.Clone();
        // History cannot change: meetings before "now" are fixed whatever their table.
        for (var p = 0; p < c.P; p++) if (keptSlot[p] >= 0 && keptSlot[p] < applied.Now) tt.Fixed[p] = true;

        // 2. Displaced meetings and new pairs first (value desc), then the standby list for freed slots.
        var urgent = displaced.Concat(applied.NewPairs.Select(k => c.FindPair(c.SmeIndex[k.Sme], c.BuyerIndex[k.Buyer])))
            .Where(p => p >= 0 && tt.PairSlot[p] < 0).Distinct().OrderByDescending(p => c.Value[p]).ThenBy(p => p).ToList();
        foreach (var p in urgent) Insert(run, c, p, keptSlot, options);

        var standby = new List<int>();
        var freedSmes = freedS.Select(x => x.S).ToHashSet();
        var freedBuyers = freedB.Select(x => x.B).ToHashSet();
        for (var p = 0; p < c.P; p++)
            if (tt.PairSlot[p] < 0 && (freedSmes.Contains(c.PairSme[p]) || freedBuyers.Contains(c.PairBuyer[p]))) standby.Add(p);
        standby.Sort((x, y) => Gain(tt, y).CompareTo(Gain(tt, x)) is var k and not 0 ? k : x.CompareTo(y));
        foreach (var p in standby)
        {
            int s = c.PairSme[p], b = c.PairBuyer[p];
            for (var t = applied.Now; t < c.T; t++)
            {
                if (!freedS.Contains((s, t)) && !freedB.Contains((b, t))) continue;
                if (tt.CanPlace(p, t)) { tt.Place(p, t); break; }
            }
        }
        tt.Commit();

        var times = new Dictionary<string, double>();
        var result = SolverRun.Build(null, tt, times, time.GetElapsedTime(t0), "repaired");
        return new RepairResult(result, Diff(c, published, pubPair, reason, wasPublished, keptSlot, result), applied.Problem);
    }

    private static double Gain(WorkingSchedule tt, int p)
    {
        var c = tt.C;
        var s = c.PairSme[p];
        return c.Value[p] + (tt.SmeTotal[s] < c.SmeMin[s] ? c.Penalty : 0);
    }

    /// <summary>Direct placement first; otherwise an ejection chain, accepted only if it pays for the meetings it moves.</summary>
    private static void Insert(SolverRun run, CompiledProblem c, int p, int[] keptSlot, RepairOptions o)
    {
        var tt = run.Table;
        var budget = 0;
        if (run.TryInsert(p, 0, ref budget, checkCaps: true)) { tt.Commit(); return; }
        var gain = Gain(tt, p);
        if (o.EjectionDepth <= 0 || gain <= o.MovePenalty) return;
        var unlocked = new List<int>();
        for (var q = 0; q < c.P; q++)
            if (tt.Fixed[q] && keptSlot[q] >= 0 && !IsLock(c, q)) { tt.Fixed[q] = false; unlocked.Add(q); }
        var mark = tt.JournalMark;
        budget = 2000;
        if (run.TryInsert(p, o.EjectionDepth, ref budget, checkCaps: true))
        {
            var moved = unlocked.Count(q => tt.PairSlot[q] != keptSlot[q]);
            if (gain - o.MovePenalty * moved <= 0) tt.Rollback(mark);
        }
        foreach (var q in unlocked) if (tt.PairSlot[q] == keptSlot[q]) tt.Fixed[q] = true;
        tt.Commit();
    }

    private static bool IsLock(CompiledProblem c, int p) => Array.IndexOf(c.LockPair, p) >= 0;

    private static ScheduleDiff Diff(CompiledProblem c, IReadOnlyList<Meeting> published, int[] pubPair, string?[] reason,
        bool[] wasPublished, int[] keptSlot, ScheduleResult result)
    {
        var now = result.Assignments.ToDictionary(m => (m.Sme, m.Buyer));
        var kept = new List<Meeting>();
        var moved = new List<MovedMeeting>();
        var cancelled = new List<CancelledMeeting>();
        var added = new List<Meeting>();
        for (var i = 0; i < published.Count; i++)
        {
            var m = published[i];
            if (!now.TryGetValue((m.Sme, m.Buyer), out var n))
            {
                cancelled.Add(new CancelledMeeting(m, reason[i] ?? "dropped_for_better"));
                continue;
            }
            if (n.Slot == m.Slot && (n.Table == m.Table || m.Table == 0)) kept.Add(n);
            else moved.Add(new MovedMeeting(m, n, reason[i] ?? (n.Slot == m.Slot ? "table_renumbered" : "moved_for_better")));
        }
        foreach (var n in result.Assignments)
        {
            var p = c.FindPair(c.SmeIndex[n.Sme], c.BuyerIndex[n.Buyer]);
            if (!wasPublished[p]) added.Add(n);
        }
        var smes = new SortedSet<string>(StringComparer.Ordinal);
        var buyers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var m in moved) { smes.Add(m.To.Sme); buyers.Add(m.To.Buyer); }
        foreach (var m in cancelled) { smes.Add(m.Meeting.Sme); buyers.Add(m.Meeting.Buyer); }
        foreach (var m in added) { smes.Add(m.Sme); buyers.Add(m.Buyer); }
        return new ScheduleDiff(kept, moved, cancelled, added, smes.ToList(), buyers.ToList());
    }

    // ------------------------------------------------------------------ applying changes

    private sealed class Applied
    {
        public required ScheduleProblem Problem { get; init; }
        public required Dictionary<(string Who, int T), string> Away { get; init; }
        public required Dictionary<string, List<int>> RemovedTables { get; init; }
        public required List<(string Sme, string Buyer)> NewPairs { get; init; }

        /// <summary>First slot (chronological index) that may still change.</summary>
        public int Now { get; init; }

        /// <summary>Why a published meeting can no longer happen where it was, if a change says so.</summary>
        public string? Reason(Meeting m, int t) =>
            Away.TryGetValue(("S:" + m.Sme, t), out var r) || Away.TryGetValue(("B:" + m.Buyer, t), out r) ? r : null;

        /// <summary>Published table number after table removals (0 = unknown); reason set if its table is gone.</summary>
        public int MapTable(string buyer, int table, out string? reason)
        {
            reason = null;
            if (table <= 0 || !RemovedTables.TryGetValue(buyer, out var removed)) return table;
            foreach (var k in removed)
            {
                if (table == k) { reason = "table_removed"; return 0; }
                if (table > k) table--;
            }
            return table;
        }
    }

    private static Applied Apply(ScheduleProblem problem, CompiledProblem c0, IReadOnlyList<ScheduleChange> changes)
    {
        var buyers = problem.Buyers.ToList();
        var smes = problem.Smes.ToList();
        var pairs = problem.Pairs.ToList();
        var bIdx = buyers.Select((b, i) => (b.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var sIdx = smes.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var away = new Dictionary<(string, int), string>();
        var removedTables = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var newPairs = new List<(string, string)>();
        var allSlots = Enumerable.Range(0, c0.T).ToList();
        // "now" first (from now and no-show changes): cancellations only ever affect slots from now on.
        var now = 0;
        for (var k = 0; k < changes.Count; k++)
        {
            var slot = changes[k] switch { NowChange x => x.Slot, NoShowChange x => x.Slot, _ => null };
            if (slot is null) continue;
            if (!c0.SlotIndex.TryGetValue(slot, out var tn)) throw new ScheduleFormatException($"changes[{k}].slot", $"unknown slot {slot}");
            now = Math.Max(now, tn);
        }

        List<int> Slots(IReadOnlyList<string>? ids, string path)
        {
            if (ids is null) return allSlots.Where(t => t >= now).ToList();
            return ids.Select((id, k) => c0.SlotIndex.TryGetValue(id, out var t) ? t
                : throw new ScheduleFormatException($"{path}.slots[{k}]", $"unknown slot {id}")).Where(t => t >= now).ToList();
        }

        void MarkAway(string? sme, string? buyer, List<int> slots, string why, string path)
        {
            slots = slots.Where(t => t >= now).ToList(); // the past is history, whatever the change says
            if (sme is not null)
            {
                if (!sIdx.TryGetValue(sme, out var i)) throw new ScheduleFormatException($"{path}.sme", $"unknown SME {sme}");
                var x = smes[i];
                var un = new HashSet<string>(x.UnavailableSlots ?? [], StringComparer.Ordinal);
                foreach (var t in slots) { un.Add(c0.SlotIds[t]); away.TryAdd(("S:" + sme, t), "sme_" + why); }
                // An SME gone for the rest of the event owes no floor any more.
                var min = slots.Count == c0.T - now ? 0 : x.Min;
                smes[i] = x with { UnavailableSlots = un.OrderBy(s => s, StringComparer.Ordinal).ToList(), Min = min };
            }
            if (buyer is not null)
            {
                if (!bIdx.TryGetValue(buyer, out var i)) throw new ScheduleFormatException($"{path}.buyer", $"unknown buyer {buyer}");
                var x = buyers[i];
                var un = new HashSet<string>(x.UnavailableSlots ?? [], StringComparer.Ordinal);
                foreach (var t in slots) { un.Add(c0.SlotIds[t]); away.TryAdd(("B:" + buyer, t), "buyer_" + why); }
                buyers[i] = x with { UnavailableSlots = un.OrderBy(s => s, StringComparer.Ordinal).ToList() };
            }
        }

        for (var k = 0; k < changes.Count; k++)
        {
            var path = $"changes[{k}]";
            switch (changes[k])
            {
                case CancelChange x:
                    MarkAway(x.Sme, x.Buyer, Slots(x.Slots, path), x.Slots is null ? "cancelled" : "cancelled_slot", path);
                    break;
                case NoShowChange x:
                    if (!c0.SlotIndex.TryGetValue(x.Slot, out var t0)) throw new ScheduleFormatException($"{path}.slot", $"unknown slot {x.Slot}");
                    MarkAway(x.Sme, x.Buyer, allSlots.Where(t => t >= t0 && c0.Day[t] == c0.Day[t0]).ToList(), "no_show", path);
                    break;
                case NowChange:
                    break;
                case RemoveTableChange x:
                {
                    if (!bIdx.TryGetValue(x.Buyer, out var i)) throw new ScheduleFormatException($"{path}.buyer", $"unknown buyer {x.Buyer}");
                    var b = buyers[i];
                    var table = x.Table ?? b.Tables;
                    if (table < 1 || table > b.Tables) throw new ScheduleFormatException($"{path}.table", new Messages.Message("repair.table_range", b.Tables, table));
                    if (!removedTables.TryGetValue(x.Buyer, out var list)) removedTables[x.Buyer] = list = [];
                    list.Add(table);
                    if (b.Tables == 1)
                    {
                        // Last table gone: the buyer can hold no meeting from now on.
                        var gone = allSlots.Where(t => t >= now).ToList();
                        buyers[i] = b with { UnavailableSlots = (b.UnavailableSlots ?? []).Union(gone.Select(t => c0.SlotIds[t])).OrderBy(id => id, StringComparer.Ordinal).ToList() };
                        foreach (var t in gone) away.TryAdd(("B:" + x.Buyer, t), "table_removed");
                    }
                    else buyers[i] = b with { Tables = b.Tables - 1 };
                    break;
                }
                case AddSmeChange x:
                    if (sIdx.ContainsKey(x.Sme.Id)) throw new ScheduleFormatException($"{path}.sme.id", new Messages.Message("repair.sme_exists", x.Sme.Id));
                    sIdx[x.Sme.Id] = smes.Count;
                    smes.Add(x.Sme);
                    for (var j = 0; j < x.Pairs.Count; j++)
                    {
                        var pr = x.Pairs[j];
                        // Checked here so the error names the changes file, not the merged instance.
                        if (pr.Buyer is null || !bIdx.ContainsKey(pr.Buyer))
                            throw new ScheduleFormatException($"{path}.pairs[{j}].buyer", $"unknown buyer {pr.Buyer}");
                        if (!(pr.Score >= 0 && pr.Score <= 1))
                            throw new ScheduleFormatException($"{path}.pairs[{j}].score", $"must be in [0,1], got {pr.Score}");
                        pairs.Add(pr with { Sme = x.Sme.Id });
                        newPairs.Add((x.Sme.Id, pr.Buyer));
                    }
                    break;
                case AcceptRequestChange x:
                {
                    if (!sIdx.ContainsKey(x.Sme)) throw new ScheduleFormatException($"{path}.sme", $"unknown SME {x.Sme}");
                    if (!bIdx.ContainsKey(x.Buyer)) throw new ScheduleFormatException($"{path}.buyer", $"unknown buyer {x.Buyer}");
                    var i = pairs.FindIndex(p => p.Sme == x.Sme && p.Buyer == x.Buyer);
                    if (i >= 0) pairs[i] = pairs[i] with { Requested = true, Score = x.Score ?? pairs[i].Score };
                    else pairs.Add(new PairDef(x.Sme, x.Buyer, x.Score ?? throw new ScheduleFormatException($"{path}.score", new Messages.Message("repair.pair_score_required")), true));
                    newPairs.Add((x.Sme, x.Buyer));
                    break;
                }
                default:
                    throw new ScheduleFormatException(path, new Messages.Message("repair.unsupported"));
            }
        }
        return new Applied
        {
            Problem = problem with { Buyers = buyers, Smes = smes, Pairs = pairs },
            Away = away,
            RemovedTables = removedTables,
            NewPairs = newPairs,
            Now = now,
        };
    }
}
