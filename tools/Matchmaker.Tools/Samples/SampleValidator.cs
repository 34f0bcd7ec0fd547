using Matchmaker.Core.Profiles;
using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Samples;

/// <summary>
/// Checks the generated events against the import format and the timetable rules before anything is written:
/// valid and unique business numbers, KSIC subclasses in the catalogue, every referenced id present, no double booking.
/// </summary>
public static class SampleValidator
{
    static readonly HashSet<string> Kinds = ["large_firm", "mid_size", "public_enterprise", "public_institution", "hospital", "university", "research_institute"];
    static readonly HashSet<string> RequestStates = ["pending", "accepted", "declined", "withdrawn", "expired"];
    static readonly HashSet<string> FollowUps = ["none", "sample", "site_visit", "nda", "contract"];

    public static List<string> Validate(SampleSet set, KsicCatalog ksic)
    {
        var errors = new List<string>();
        foreach (var ev in set.Events) ValidateEvent(ev, ksic, errors);
        var upcoming = set.Events.Single(e => !e.Spec.IsPast);
        if (upcoming.Buyers.Count < 70) errors.Add($"{upcoming.Spec.EventId}: only {upcoming.Buyers.Count} buyers (want 70+)");
        if (upcoming.Smes.Count < 200) errors.Add($"{upcoming.Spec.EventId}: only {upcoming.Smes.Count} SMEs (want 200+)");
        return errors;
    }

    static void ValidateEvent(SampleEvent ev, KsicCatalog ksic, List<string> errors)
    {
        var id = ev.Spec.EventId;
        void Check(bool ok, string message) { if (!ok) errors.Add($"{id}: {message}"); }
        void CheckCodes(IReadOnlyList<string> codes, string owner)
        {
            foreach (var c in codes) Check(ksic.Find(c) is { Level: 5 }, $"{owner}: KSIC code {c} is not a subclass of the catalogue");
        }
        var slots = ev.Spec.Slots();
        var slotByCode = slots.ToDictionary(s => s.Code);
        var slotByStart = slots.ToDictionary(s => s.Start);

        var buyers = new Dictionary<string, SampleBuyer>();
        foreach (var b in ev.Buyers)
        {
            Check(buyers.TryAdd(b.BuyerId, b), $"buyer {b.BuyerId} twice");
            Check(b.BuyerId.Length <= 40 && b.BuyerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'), $"buyer id {b.BuyerId} malformed");
            Check(b.Name.Length <= 100 && Kinds.Contains(b.Kind), $"buyer {b.BuyerId}: name or kind");
            Check(b.MeetingCap is >= 1 and <= 200 && b.Tables is >= 1 and <= 3, $"buyer {b.BuyerId}: cap or tables");
            Check(ev.Spec.Halls.Contains(b.Hall), $"buyer {b.BuyerId}: hall {b.Hall} not in the event");
            Check(b.UnavailableSlots.All(slotByCode.ContainsKey), $"buyer {b.BuyerId}: unknown slot code");
            CheckCodes(b.KsicCodes, $"buyer {b.BuyerId}");
        }
        var demands = new Dictionary<string, SampleDemand>();
        foreach (var d in ev.Demands)
        {
            Check(demands.TryAdd(d.DemandId, d), $"demand {d.DemandId} twice");
            Check(buyers.ContainsKey(d.BuyerId), $"demand {d.DemandId}: unknown buyer {d.BuyerId}");
            Check(d.Title.Length <= 200 && d.Description.Length <= 4000 && d.BudgetBand.Length <= 40, $"demand {d.DemandId}: text too long");
            CheckCodes(d.KsicCodes, $"demand {d.DemandId}");
        }
        foreach (var b in ev.Buyers)
        {
            var n = ev.Demands.Count(d => d.BuyerId == b.BuyerId);
            Check(n is >= 1 and <= 5, $"buyer {b.BuyerId} has {n} demands");
        }
        var smes = new Dictionary<string, SampleSme>();
        foreach (var s in ev.Smes)
        {
            Check(BusinessNumber.TryParse(s.BusinessNumber, out _, out var error), $"SME {s.BusinessNumber}: {error}");
            Check(smes.TryAdd(s.BusinessNumber, s), $"SME {s.BusinessNumber} twice");
            Check(s.KsicCodes.Count > 0, $"SME {s.BusinessNumber}: no KSIC code");
            CheckCodes(s.KsicCodes, $"SME {s.BusinessNumber}");
            Check(s.Name.Length <= 100 && s.Description.Length <= 4000, $"SME {s.BusinessNumber}: text too long");
            Check(s.Trl is >= 1 and <= 9 && s.MeetingCap is >= 1 and <= 50 && s.Employees is >= 0 and <= 100000, $"SME {s.BusinessNumber}: number out of range");
            Check(s.UnavailableSlots.All(slotByCode.ContainsKey), $"SME {s.BusinessNumber}: unknown slot code");
        }

        foreach (var r in ev.Requests)
        {
            Check(smes.ContainsKey(r.BusinessNumber) && buyers.ContainsKey(r.BuyerId), $"request {r.RequestId}: unknown SME or buyer");
            Check(demands.TryGetValue(r.DemandId, out var d) && d.BuyerId == r.BuyerId, $"request {r.RequestId}: demand {r.DemandId} not of {r.BuyerId}");
            Check(RequestStates.Contains(r.State) && r.Priority is >= 1 and <= 3, $"request {r.RequestId}: state or priority");
            Check(r.DecidedAt is null || r.DecidedAt >= r.CreatedAt, $"request {r.RequestId}: decided before created");
            Check(r.CreatedAt < ev.Spec.Days[0].ToDateTime(TimeOnly.MinValue), $"request {r.RequestId}: created after the fair began");
        }
        foreach (var g in ev.Requests.GroupBy(r => r.BusinessNumber))
            Check(g.Count() <= SampleEventSpec.MaxOpenRequestsPerSme, $"SME {g.Key} made {g.Count()} requests");
        Check(ev.Requests.GroupBy(r => (r.BusinessNumber, r.BuyerId)).All(g => g.Count() == 1), "an SME asked one buyer twice");

        var tableSlots = new HashSet<(string, int, DateTime)>();
        var smeSlots = new Dictionary<string, List<(SampleSlot Slot, string Hall)>>();
        foreach (var m in ev.Meetings)
        {
            if (!smes.TryGetValue(m.BusinessNumber, out var sme) || !buyers.TryGetValue(m.BuyerId, out var buyer))
            {
                Check(false, $"meeting {m.MeetingId}: unknown SME or buyer");
                continue;
            }
            Check(demands.TryGetValue(m.DemandId, out var d) && d.BuyerId == m.BuyerId, $"meeting {m.MeetingId}: demand {m.DemandId} not of {m.BuyerId}");
            if (!slotByStart.TryGetValue(m.SlotStart, out var slot)) { Check(false, $"meeting {m.MeetingId}: {m.SlotStart} is no slot start"); continue; }
            Check(m.Table >= 1 && m.Table <= buyer.Tables, $"meeting {m.MeetingId}: table {m.Table}");
            Check(tableSlots.Add((m.BuyerId, m.Table, m.SlotStart)), $"meeting {m.MeetingId}: table {m.BuyerId}/{m.Table} double-booked at {m.SlotStart}");
            Check(!buyer.UnavailableSlots.Contains(slot.Code) && !sme.UnavailableSlots.Contains(slot.Code), $"meeting {m.MeetingId}: in an unavailable slot");
            var mine = smeSlots.TryGetValue(m.BusinessNumber, out var list) ? list : smeSlots[m.BusinessNumber] = [];
            Check(mine.All(o => HistorySimulator.Compatible(ev.Spec, o.Slot, o.Hall, slot, buyer.Hall)),
                $"meeting {m.MeetingId}: SME {m.BusinessNumber} double-booked or cannot walk between halls");
            mine.Add((slot, buyer.Hall));
            Check(m.Status is "held" or "no_show" or "cancelled", $"meeting {m.MeetingId}: status {m.Status}");
            Check(m.Status == "held" ? m.Rating is >= 1 and <= 5 : m.Rating is null, $"meeting {m.MeetingId}: rating {m.Rating} with {m.Status}");
            Check(FollowUps.Contains(m.FollowUp) && (m.FollowUp == "contract") == (m.ContractKrw is > 0), $"meeting {m.MeetingId}: follow-up or contract");
        }
        foreach (var g in ev.Meetings.GroupBy(m => m.BuyerId))
            Check(g.Count() <= buyers[g.Key].MeetingCap, $"buyer {g.Key}: {g.Count()} meetings over cap {buyers[g.Key].MeetingCap}");
        foreach (var g in ev.Meetings.GroupBy(m => m.BusinessNumber))
            Check(g.Count() <= smes[g.Key].MeetingCap, $"SME {g.Key}: {g.Count()} meetings over cap {smes[g.Key].MeetingCap}");
        foreach (var v in ev.Views)
            Check(smes.ContainsKey(v.BusinessNumber) && buyers.ContainsKey(v.BuyerId) && v.Viewer is "sme" or "buyer", $"view {v.BusinessNumber}/{v.BuyerId}: unknown id");
    }
}
