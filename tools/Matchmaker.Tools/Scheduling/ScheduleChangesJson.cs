using System.Text.Json;
using Matchmaker.Core.Scheduling;

namespace Matchmaker.Tools.Scheduling;

/// <summary>Reads b2b-schedule-changes/1 and writes repair results.</summary>
public static class ScheduleChangesJson
{
    /// <summary>Format tag of a changes file.</summary>
    public const string Format = "b2b-schedule-changes/1";

    /// <summary>Parses a changes file; errors name the field (<c>changes[2].slot</c>).</summary>
    public static IReadOnlyList<ScheduleChange> Read(string json)
    {
        using var doc = ScheduleJson.Parse(json, "changes");
        var root = doc.RootElement;
        var list = new List<ScheduleChange>();
        var i = 0;
        foreach (var e in ScheduleJson.Array(root, "changes", "changes"))
        {
            var p = $"changes[{i++}]";
            var type = ScheduleJson.Str(e, "type", p);
            list.Add(type switch
            {
                "cancel" => new CancelChange(ScheduleJson.OptStr(e, "sme", p), ScheduleJson.OptStr(e, "buyer", p), ScheduleJson.StrList(e, "slots", p)),
                "no_show" => new NoShowChange(ScheduleJson.OptStr(e, "sme", p), ScheduleJson.OptStr(e, "buyer", p), ScheduleJson.Str(e, "slot", p)),
                "now" => new NowChange(ScheduleJson.Str(e, "slot", p)),
                "remove_table" => new RemoveTableChange(ScheduleJson.Str(e, "buyer", p), ScheduleJson.OptInt(e, "table", p)),
                "add_sme" => ReadAddSme(e, p),
                "accept_request" => new AcceptRequestChange(ScheduleJson.Str(e, "sme", p), ScheduleJson.Str(e, "buyer", p), ScheduleJson.OptNum(e, "score", p)),
                _ => throw new ScheduleFormatException($"{p}.type", $"unknown change type \"{type}\" (cancel, no_show, now, remove_table, add_sme, accept_request)"),
            });
            if (list[^1] is CancelChange { Sme: null, Buyer: null } or NoShowChange { Sme: null, Buyer: null })
                throw new ScheduleFormatException(p, "needs \"sme\" or \"buyer\"");
        }
        return list;
    }

    private static AddSmeChange ReadAddSme(JsonElement e, string p)
    {
        if (!e.TryGetProperty("sme", out var s) || s.ValueKind != JsonValueKind.Object)
            throw new ScheduleFormatException($"{p}.sme", "must be an SME object");
        var sp = $"{p}.sme";
        var id = ScheduleJson.Str(s, "id", sp);
        var sme = new SmeDef(id, ScheduleJson.OptInt(s, "cap", sp) ?? int.MaxValue, ScheduleJson.OptInt(s, "min", sp) ?? 0,
            ScheduleJson.StrList(s, "unavailable_slots", sp), ScheduleJson.OptBool(s, "no_back_to_back", sp) ?? false);
        var pairs = ScheduleJson.Array(e, "pairs", $"{p}.pairs").Select((x, k) =>
        {
            var pp = $"{p}.pairs[{k}]";
            return new PairDef(id, ScheduleJson.Str(x, "buyer", pp), ScheduleJson.Num(x, "score", pp),
                ScheduleJson.OptBool(x, "requested", pp) ?? false, ScheduleJson.OptNum(x, "weight", pp) ?? 1.0);
        }).ToList();
        return new AddSmeChange(sme, pairs);
    }

    /// <summary>The repaired schedule (same shape as <c>schedule</c> output) plus a <c>diff</c> object.</summary>
    public static string WriteRepair(RepairResult r) => ScheduleJson.WriteResult(r.Schedule, w =>
    {
        var d = r.Diff;
        w.WriteStartObject("diff");
        ScheduleJson.WriteMeetings(w, "kept", d.Kept);
        w.WriteStartArray("moved");
        foreach (var m in d.Moved)
        {
            w.WriteStartObject();
            w.WriteString("sme", m.To.Sme);
            w.WriteString("buyer", m.To.Buyer);
            w.WriteString("from_slot", m.From.Slot);
            w.WriteNumber("from_table", m.From.Table);
            w.WriteString("slot", m.To.Slot);
            w.WriteNumber("table", m.To.Table);
            w.WriteString("reason", m.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("cancelled");
        foreach (var m in d.Cancelled)
        {
            w.WriteStartObject();
            w.WriteString("sme", m.Meeting.Sme);
            w.WriteString("buyer", m.Meeting.Buyer);
            w.WriteString("slot", m.Meeting.Slot);
            w.WriteNumber("table", m.Meeting.Table);
            w.WriteString("reason", m.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        ScheduleJson.WriteMeetings(w, "added", d.Added);
        w.WriteStartObject("notify");
        w.WriteStartArray("smes");
        foreach (var s in d.NotifySmes) w.WriteStringValue(s);
        w.WriteEndArray();
        w.WriteStartArray("buyers");
        foreach (var s in d.NotifyBuyers) w.WriteStringValue(s);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
