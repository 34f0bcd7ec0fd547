using System.Globalization;
using System.Text;
using System.Text.Json;

using Matchmaker.Core.Scheduling;

namespace Matchmaker.Tools.Scheduling;

/// <summary>
/// Reads b2b-schedule-instance/1 instances and schedules, writes results. Every structural error is a
/// <see cref="ScheduleFormatException"/> naming the field (<c>pairs[12].score</c>); semantic checks (unknown ids,
/// duplicates, overlaps) happen when the problem is compiled, with the same field names.
/// </summary>
public static class ScheduleJson
{
    /// <summary>Format tag of an instance.</summary>
    public const string InstanceFormat = "b2b-schedule-instance/1";

    /// <summary>Parses an instance (with an optional top-level <c>locks</c> array of meetings); structure errors throw.</summary>
    public static ScheduleProblem ReadInstance(string json) => ReadInstance(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses an instance from UTF-8 bytes (a file read with File.ReadAllBytes: no UTF-16 copy of 50 MB).</summary>
    public static ScheduleProblem ReadInstance(ReadOnlyMemory<byte> utf8)
    {
        using var doc = Parse(utf8, "instance");
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new ScheduleFormatException("$", "instance must be a JSON object");
        if (root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() != InstanceFormat)
            throw new ScheduleFormatException("format", $"expected {InstanceFormat}, got {f.GetString()}");

        var options = ReadOptions(root);
        var slots = Array(root, "slots", "slots").Select((e, i) =>
        {
            var p = $"slots[{i}]";
            return new SlotDef(Str(e, "id", p), Time(e, "start", p), Time(e, "end", p));
        }).ToList();
        var buyers = Array(root, "buyers", "buyers").Select((e, i) =>
        {
            var p = $"buyers[{i}]";
            return new BuyerDef(Str(e, "id", p), OptInt(e, "tables", p) ?? 1, OptInt(e, "cap", p) ?? int.MaxValue,
                StrList(e, "unavailable_slots", p), OptBool(e, "no_back_to_back", p) ?? false, OptStr(e, "hall", p));
        }).ToList();
        var smes = Array(root, "smes", "smes").Select((e, i) =>
        {
            var p = $"smes[{i}]";
            return new SmeDef(Str(e, "id", p), OptInt(e, "cap", p) ?? int.MaxValue, OptInt(e, "min", p) ?? 0,
                StrList(e, "unavailable_slots", p), OptBool(e, "no_back_to_back", p) ?? false);
        }).ToList();
        var pairs = new List<PairDef>(root.TryGetProperty("pairs", out var pe) && pe.ValueKind == JsonValueKind.Array ? pe.GetArrayLength() : 0);
        var k = 0;
        foreach (var e in Array(root, "pairs", "pairs"))
        {
            var p = $"pairs[{k++}]";
            pairs.Add(new PairDef(Str(e, "sme", p), Str(e, "buyer", p), Num(e, "score", p),
                OptBool(e, "requested", p) ?? false, OptNum(e, "weight", p) ?? 1.0));
        }
        List<Meeting>? locks = null;
        if (root.TryGetProperty("locks", out var le) && le.ValueKind != JsonValueKind.Null)
            locks = ReadMeetings(le, "locks", requireTable: true);
        // Semantic checks (unknown ids, duplicates, overlaps) run once, in ScheduleSolver.Validate or Solve.
        return new ScheduleProblem(slots, buyers, smes, pairs, options, locks);
    }

    /// <summary>Reads the <c>assignments</c> of a schedule (the solver's output or a published timetable).</summary>
    public static IReadOnlyList<Meeting> ReadSchedule(string json)
    {
        using var doc = Parse(json, "schedule");
        var root = doc.RootElement;
        var arr = root.ValueKind == JsonValueKind.Array ? root
            : root.TryGetProperty("assignments", out var a) ? a
            : throw new ScheduleFormatException("assignments", "missing");
        return ReadMeetings(arr, "assignments", requireTable: false);
    }

    private static List<Meeting> ReadMeetings(JsonElement arr, string path, bool requireTable)
    {
        if (arr.ValueKind != JsonValueKind.Array) throw new ScheduleFormatException(path, "must be an array");
        var list = new List<Meeting>();
        var i = 0;
        foreach (var e in arr.EnumerateArray())
        {
            var p = $"{path}[{i++}]";
            var table = requireTable ? Int(e, "table", p) : OptInt(e, "table", p) ?? 0;
            list.Add(new Meeting(Str(e, "sme", p), Str(e, "buyer", p), Str(e, "slot", p), table));
        }
        return list;
    }

    private static ProblemOptions ReadOptions(JsonElement root)
    {
        if (!root.TryGetProperty("options", out var o) || o.ValueKind == JsonValueKind.Null) return new ProblemOptions();
        if (o.ValueKind != JsonValueKind.Object) throw new ScheduleFormatException("options", "must be an object");
        var mode = OptStr(o, "requested_mode", "options") switch
        {
            null or "bonus" => RequestedMode.Bonus,
            "must" => RequestedMode.Must,
            var x => throw new ScheduleFormatException("options.requested_mode", $"must be \"bonus\" or \"must\", got \"{x}\""),
        };
        Dictionary<string, IReadOnlyDictionary<string, double>>? travel = null;
        if (o.TryGetProperty("travel_minutes", out var tm) && tm.ValueKind != JsonValueKind.Null)
        {
            if (tm.ValueKind != JsonValueKind.Object) throw new ScheduleFormatException("options.travel_minutes", "must be an object of objects");
            travel = new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
            foreach (var h1 in tm.EnumerateObject())
            {
                if (h1.Value.ValueKind != JsonValueKind.Object)
                    throw new ScheduleFormatException($"options.travel_minutes.{h1.Name}", "must be an object");
                var row = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var h2 in h1.Value.EnumerateObject())
                {
                    var path = $"options.travel_minutes.{h1.Name}.{h2.Name}";
                    if (h2.Value.ValueKind != JsonValueKind.Number) throw new ScheduleFormatException(path, "must be a number");
                    row[h2.Name] = h2.Value.GetDouble();
                }
                travel[h1.Name] = row;
            }
        }
        return new ProblemOptions(mode,
            OptNum(o, "requested_bonus", "options") ?? 1.0,
            OptNum(o, "min_shortfall_penalty", "options") ?? 10.0,
            OptNum(o, "back_to_back_max_gap_minutes", "options") ?? 0,
            travel);
    }

    /// <summary>Writes a result as the spec's schedule JSON (assignments first, then the summary fields).</summary>
    public static string WriteResult(ScheduleResult r, Action<Utf8JsonWriter>? extra = null)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            WriteMeetings(w, "assignments", r.Assignments);
            w.WriteNumber("objective", r.Objective);
            if (r.UpperBound is { } ub) w.WriteNumber("upper_bound", ub); else w.WriteNull("upper_bound");
            if (r.Gap is { } g) w.WriteNumber("gap", g); else w.WriteNull("gap");
            w.WriteNumber("meetings", r.Meetings);
            w.WriteNumber("smes_below_min", r.SmesBelowMin);
            w.WriteNumber("min_shortfall", r.MinShortfall);
            w.WriteNumber("score_sum", r.ScoreSum);
            w.WriteNumber("requested_scheduled", r.RequestedScheduled);
            w.WriteNumber("requested_total", r.RequestedTotal);
            w.WriteString("status", r.Status);
            // Same keys as opt.py so check.py --ref can read a result of ours.
            w.WriteStartObject("bounds");
            if (r.UpperBound is { } b1) { w.WriteNumber("flow", b1); w.WriteNumber("best", b1); }
            w.WriteEndObject();
            if (r.Gap is { } g2) w.WriteNumber("gap_to_best_bound", g2);
            w.WriteStartArray("requested_missing");
            foreach (var (s, b) in r.RequestedMissing) { w.WriteStartObject(); w.WriteString("sme", s); w.WriteString("buyer", b); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteStartObject("times");
            foreach (var (k, v) in r.Times) w.WriteNumber(k, v);
            w.WriteEndObject();
            extra?.Invoke(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes a problem as a b2b-schedule-instance/1 document (used to hand a repaired problem to check.py).</summary>
    public static string WriteInstance(ScheduleProblem pr)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("format", InstanceFormat);
            var o = pr.Options;
            w.WriteStartObject("options");
            w.WriteString("requested_mode", o.RequestedMode == RequestedMode.Must ? "must" : "bonus");
            w.WriteNumber("requested_bonus", o.RequestedBonus);
            w.WriteNumber("min_shortfall_penalty", o.MinShortfallPenalty);
            w.WriteNumber("back_to_back_max_gap_minutes", o.BackToBackMaxGapMinutes);
            if (o.TravelMinutes is { } tm)
            {
                w.WriteStartObject("travel_minutes");
                foreach (var (h1, row) in tm)
                {
                    w.WriteStartObject(h1);
                    foreach (var (h2, v) in row) w.WriteNumber(h2, v);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("slots");
            foreach (var x in pr.Slots)
            {
                w.WriteStartObject();
                w.WriteString("id", x.Id);
                w.WriteString("start", x.Start.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                w.WriteString("end", x.End.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("buyers");
            foreach (var x in pr.Buyers)
            {
                w.WriteStartObject();
                w.WriteString("id", x.Id);
                w.WriteNumber("tables", x.Tables);
                if (x.Cap != int.MaxValue) w.WriteNumber("cap", x.Cap);
                WriteIds(w, "unavailable_slots", x.UnavailableSlots);
                w.WriteBoolean("no_back_to_back", x.NoBackToBack);
                if (x.Hall is not null) w.WriteString("hall", x.Hall);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("smes");
            foreach (var x in pr.Smes)
            {
                w.WriteStartObject();
                w.WriteString("id", x.Id);
                if (x.Cap != int.MaxValue) w.WriteNumber("cap", x.Cap);
                w.WriteNumber("min", x.Min);
                WriteIds(w, "unavailable_slots", x.UnavailableSlots);
                w.WriteBoolean("no_back_to_back", x.NoBackToBack);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("pairs");
            foreach (var x in pr.Pairs)
            {
                w.WriteStartObject();
                w.WriteString("sme", x.Sme);
                w.WriteString("buyer", x.Buyer);
                w.WriteNumber("score", x.Score);
                w.WriteBoolean("requested", x.Requested);
                if (x.Weight != 1.0) w.WriteNumber("weight", x.Weight);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (pr.Locks is { Count: > 0 }) WriteMeetings(w, "locks", pr.Locks);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteIds(Utf8JsonWriter w, string name, IReadOnlyList<string>? ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids ?? []) w.WriteStringValue(id);
        w.WriteEndArray();
    }

    internal static void WriteMeetings(Utf8JsonWriter w, string name, IEnumerable<Meeting> meetings)
    {
        w.WriteStartArray(name);
        foreach (var m in meetings) WriteMeeting(w, m);
        w.WriteEndArray();
    }

    internal static void WriteMeeting(Utf8JsonWriter w, Meeting m)
    {
        w.WriteStartObject();
        w.WriteString("sme", m.Sme);
        w.WriteString("buyer", m.Buyer);
        w.WriteString("slot", m.Slot);
        w.WriteNumber("table", m.Table);
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ element helpers (path-aware)

    internal static JsonDocument Parse(string json, string what) => Parse(Encoding.UTF8.GetBytes(json), what);

    internal static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string what)
    {
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ScheduleFormatException("$", $"{what} is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }

    internal static IEnumerable<JsonElement> Array(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var a)) throw new ScheduleFormatException(path, "missing");
        if (a.ValueKind != JsonValueKind.Array) throw new ScheduleFormatException(path, "must be an array");
        var i = 0;
        foreach (var e in a.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object) throw new ScheduleFormatException($"{path}[{i}]", "must be an object");
            i++;
            yield return e;
        }
    }

    internal static string Str(JsonElement o, string name, string path) =>
        OptStr(o, name, path) ?? throw new ScheduleFormatException($"{path}.{name}", "missing");

    internal static string? OptStr(JsonElement o, string name, string path)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ScheduleFormatException($"{path}.{name}", "must be a string");
    }

    internal static double Num(JsonElement o, string name, string path) =>
        OptNum(o, name, path) ?? throw new ScheduleFormatException($"{path}.{name}", "missing");

    internal static double? OptNum(JsonElement o, string name, string path)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new ScheduleFormatException($"{path}.{name}", "must be a number");
    }

    internal static int Int(JsonElement o, string name, string path) =>
        OptInt(o, name, path) ?? throw new ScheduleFormatException($"{path}.{name}", "missing");

    internal static int? OptInt(JsonElement o, string name, string path)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d >= int.MaxValue) return int.MaxValue;
        throw new ScheduleFormatException($"{path}.{name}", "must be an integer");
    }

    internal static bool? OptBool(JsonElement o, string name, string path)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ScheduleFormatException($"{path}.{name}", "must be true or false"),
        };
    }

    internal static List<string>? StrList(JsonElement o, string name, string path)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array) throw new ScheduleFormatException($"{path}.{name}", "must be an array of slot ids");
        var list = new List<string>();
        var i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String) throw new ScheduleFormatException($"{path}.{name}[{i}]", "must be a string");
            list.Add(e.GetString()!);
            i++;
        }
        return list;
    }

    private static DateTime Time(JsonElement o, string name, string path)
    {
        var s = Str(o, name, path);
        return DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ScheduleFormatException($"{path}.{name}", $"not an ISO local date-time: {s}");
    }
}
