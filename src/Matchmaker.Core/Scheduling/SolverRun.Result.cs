namespace Matchmaker.Core.Scheduling;

// The result: objective, bound and gap, status, the meetings with their tables.
internal sealed partial class SolverRun
{
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
