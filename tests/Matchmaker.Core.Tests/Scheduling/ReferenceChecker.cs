using Matchmaker.Core.Scheduling;

namespace Matchmaker.Core.Tests.Scheduling;

/// <summary>
/// A slow, readable checker written from the spec alone (like check.py), sharing no code with the solver: every
/// constraint of b2b-schedule-instance/1 and the objective.
/// </summary>
public static class ReferenceChecker
{
    public static List<string> Violations(ScheduleProblem pr, IReadOnlyList<Meeting> ms)
    {
        var v = new List<string>();
        var slot = pr.Slots.ToDictionary(s => s.Id);
        var buyer = pr.Buyers.ToDictionary(b => b.Id);
        var sme = pr.Smes.ToDictionary(s => s.Id);
        var pairs = pr.Pairs.ToDictionary(p => (p.Sme, p.Buyer));
        var o = pr.Options;
        if (ms.Select(m => (m.Sme, m.Buyer)).Distinct().Count() != ms.Count) v.Add("pair_repeated");
        foreach (var m in ms)
        {
            if (!pairs.ContainsKey((m.Sme, m.Buyer))) v.Add($"unscored {m.Sme}/{m.Buyer}");
            if (sme[m.Sme].UnavailableSlots?.Contains(m.Slot) == true) v.Add($"sme_unavailable {m.Sme} {m.Slot}");
            if (buyer[m.Buyer].UnavailableSlots?.Contains(m.Slot) == true) v.Add($"buyer_unavailable {m.Buyer} {m.Slot}");
            if (m.Table < 1 || m.Table > buyer[m.Buyer].Tables) v.Add($"bad_table {m.Buyer} {m.Table}");
        }
        foreach (var g in ms.GroupBy(m => (m.Sme, m.Slot))) if (g.Count() > 1) v.Add($"sme_double_booked {g.Key}");
        foreach (var g in ms.GroupBy(m => (m.Buyer, m.Slot)))
        {
            if (g.Count() > buyer[g.Key.Buyer].Tables) v.Add($"buyer_over_tables {g.Key}");
            if (g.Select(m => m.Table).Distinct().Count() != g.Count()) v.Add($"table_double_booked {g.Key}");
        }
        foreach (var g in ms.GroupBy(m => m.Sme)) if (g.Count() > sme[g.Key].Cap) v.Add($"sme_over_cap {g.Key}");
        foreach (var g in ms.GroupBy(m => m.Buyer)) if (g.Count() > buyer[g.Key].Cap) v.Add($"buyer_over_cap {g.Key}");
        if (o.RequestedMode == RequestedMode.Must)
            foreach (var p in pr.Pairs.Where(p => p.Requested))
                if (!ms.Any(m => m.Sme == p.Sme && m.Buyer == p.Buyer)) v.Add($"requested_missing {p.Sme}/{p.Buyer}");
        bool BackToBack(SlotDef t, SlotDef u)
        {
            var gap = (u.Start - t.End).TotalMinutes;
            return t.Start.Date == u.Start.Date && gap >= 0 && gap <= o.BackToBackMaxGapMinutes;
        }
        foreach (var a in ms)
            foreach (var b in ms)
            {
                if (ReferenceEquals(a, b)) continue;
                SlotDef ta = slot[a.Slot], tb = slot[b.Slot];
                if (a.Sme == b.Sme && sme[a.Sme].NoBackToBack && BackToBack(ta, tb)) v.Add($"sme_back_to_back {a.Sme}");
                if (a.Buyer == b.Buyer && buyer[a.Buyer].NoBackToBack && BackToBack(ta, tb) && a.Table == b.Table)
                    v.Add($"buyer_table_back_to_back {a.Buyer}");
                if (a.Sme == b.Sme && o.TravelMinutes is { } tm && ta.Start.Date == tb.Start.Date && tb.Start >= ta.End
                    && buyer[a.Buyer].Hall is { } h1 && buyer[b.Buyer].Hall is { } h2
                    && (tb.Start - ta.End).TotalMinutes < tm[h1][h2])
                    v.Add($"travel_time {a.Sme} {a.Slot}->{b.Slot}");
            }
        foreach (var b in pr.Buyers.Where(b => b.NoBackToBack))
            foreach (var t in pr.Slots)
                foreach (var u in pr.Slots.Where(u => BackToBack(t, u)))
                    if (ms.Count(m => m.Buyer == b.Id && (m.Slot == t.Id || m.Slot == u.Id)) > b.Tables) v.Add($"buyer_back_to_back {b.Id}");
        foreach (var l in pr.Locks ?? [])
            if (!ms.Contains(l)) v.Add($"lock_moved {l}");
        return v;
    }

    public static double Objective(ScheduleProblem pr, IEnumerable<Meeting> ms)
    {
        var pairs = pr.Pairs.ToDictionary(p => (p.Sme, p.Buyer));
        var count = pr.Smes.ToDictionary(s => s.Id, _ => 0);
        double v = 0;
        foreach (var m in ms)
        {
            var p = pairs[(m.Sme, m.Buyer)];
            v += p.Weight * p.Score + (p.Requested ? pr.Options.RequestedBonus : 0);
            count[m.Sme]++;
        }
        foreach (var s in pr.Smes) v -= pr.Options.MinShortfallPenalty * Math.Max(0, s.Min - count[s.Id]);
        return v;
    }
}
