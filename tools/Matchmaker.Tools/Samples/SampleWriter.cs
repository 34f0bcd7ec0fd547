using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Matchmaker.Tools.Samples;

/// <summary>Writes a sample event folder: RFC 4180 CSV (UTF-8 without BOM, \n line ends) and event.json.</summary>
public static class SampleWriter
{
    static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static IReadOnlyDictionary<string, int> Write(SampleEvent ev, string folder)
    {
        Directory.CreateDirectory(folder);
        var counts = new Dictionary<string, int>();
        File.WriteAllText(Path.Combine(folder, "event.json"), EventJson(ev.Spec), Utf8NoBom);

        counts["buyers.csv"] = WriteCsv(Path.Combine(folder, "buyers.csv"),
            ["buyer_id", "name", "kind", "sector", "ksic_codes", "region", "meeting_cap", "tables", "hall", "unavailable_slots", "contact_name", "contact_email"],
            ev.Buyers.Select(b => new[] { b.BuyerId, b.Name, b.Kind, b.Sector, List(b.KsicCodes), b.Region, Int(b.MeetingCap), Int(b.Tables), b.Hall,
                List(b.UnavailableSlots), b.ContactName, b.ContactEmail }));
        counts["demands.csv"] = WriteCsv(Path.Combine(folder, "demands.csv"),
            ["demand_id", "buyer_id", "title", "description", "ksic_codes", "required_certifications", "budget_band", "quantity", "preferred_regions"],
            ev.Demands.Select(d => new[] { d.DemandId, d.BuyerId, d.Title, d.Description, List(d.KsicCodes), List(d.RequiredCertifications),
                d.BudgetBand, d.Quantity, List(d.PreferredRegions) }));
        counts["smes.csv"] = WriteCsv(Path.Combine(folder, "smes.csv"),
            ["business_number", "name", "region", "sector", "employees", "revenue_band", "ksic_codes", "certifications", "export_record", "description",
             "keywords", "trl", "meeting_cap", "unavailable_slots", "contact_name", "contact_email"],
            ev.Smes.Select(s => new[] { s.BusinessNumber, s.Name, s.Region, s.Sector, Int(s.Employees), s.RevenueBand, List(s.KsicCodes),
                List(s.Certifications), s.ExportRecord ? "Y" : "N", s.Description, List(s.Keywords), Int(s.Trl), Int(s.MeetingCap),
                List(s.UnavailableSlots), s.ContactName, s.ContactEmail }));
        if (!ev.Spec.IsPast) return counts;

        counts["requests.csv"] = WriteCsv(Path.Combine(folder, "requests.csv"),
            ["request_id", "business_number", "buyer_id", "demand_id", "priority", "pitch", "state", "created_at", "decided_at"],
            ev.Requests.Select(r => new[] { r.RequestId, r.BusinessNumber, r.BuyerId, r.DemandId, Int(r.Priority), r.Pitch, r.State, Time(r.CreatedAt),
                r.DecidedAt is { } d ? Time(d) : "" }));
        counts["meetings.csv"] = WriteCsv(Path.Combine(folder, "meetings.csv"),
            ["meeting_id", "business_number", "buyer_id", "demand_id", "slot_start", "table", "status", "rating", "follow_up", "contract_krw"],
            ev.Meetings.Select(m => new[] { m.MeetingId, m.BusinessNumber, m.BuyerId, m.DemandId, Time(m.SlotStart), Int(m.Table), m.Status,
                m.Rating is { } r ? Int(r) : "", m.FollowUp, m.ContractKrw is { } c ? c.ToString(CultureInfo.InvariantCulture) : "" }));
        counts["views.csv"] = WriteCsv(Path.Combine(folder, "views.csv"),
            ["business_number", "buyer_id", "viewer", "viewed_at"],
            ev.Views.Select(v => new[] { v.BusinessNumber, v.BuyerId, v.Viewer, Time(v.ViewedAt) }));
        return counts;
    }

    /// <summary>
    /// The ground truth, outside the event folders so that no importer picks it up: the buyers' hidden tastes and the
    /// hidden fit of every SME–buyer pair of the upcoming event, split into its terms.
    /// </summary>
    public static IReadOnlyDictionary<string, int> WriteHidden(SampleSet set, HiddenFit fit, string folder)
    {
        Directory.CreateDirectory(folder);
        var counts = new Dictionary<string, int>();
        counts["hidden-buyer-tastes.csv"] = WriteCsv(Path.Combine(folder, "hidden-buyer-tastes.csv"),
            ["buyer_id", "export", "trl", "small", "latent1", "latent2", "selectivity"],
            set.Buyers.Select(b => new[] { b.Spec.BuyerId, F(b.Hidden.Export), F(b.Hidden.Trl), F(b.Hidden.Small), F(b.Hidden.Latent[0]),
                F(b.Hidden.Latent[1]), F(b.Hidden.Selectivity) }));
        counts["hidden-sme-traits.csv"] = WriteCsv(Path.Combine(folder, "hidden-sme-traits.csv"),
            ["business_number", "latent1", "latent2", "reliability"],
            set.Smes.Select(s => new[] { s.Profile.BusinessNumber, F(s.Hidden.Latent[0]), F(s.Hidden.Latent[1]), F(s.Hidden.Reliability) }));
        var upcoming = set.Events.Single(e => !e.Spec.IsPast);
        var hiddenSme = set.Smes.ToDictionary(s => s.Profile.BusinessNumber, s => s.Hidden);
        var hiddenBuyer = set.Buyers.ToDictionary(b => b.Spec.BuyerId, b => b.Hidden);
        var demands = upcoming.Demands.GroupBy(d => d.BuyerId).ToDictionary(g => g.Key, g => (IReadOnlyList<SampleDemand>)g.ToList());
        counts[$"hidden-fit-{upcoming.Spec.EventId}.csv"] = WriteCsv(Path.Combine(folder, $"hidden-fit-{upcoming.Spec.EventId}.csv"),
            ["business_number", "buyer_id", "best_demand_id", "fit", "sector", "certification", "region", "taste", "noise"],
            upcoming.Smes.SelectMany(_ => upcoming.Buyers, (s, b) => fit.Explain(s, hiddenSme[s.BusinessNumber], b, hiddenBuyer[b.BuyerId], demands[b.BuyerId]) is var x
                ? new[] { s.BusinessNumber, b.BuyerId, x.Demand.DemandId, F(x.Fit), F(x.Sector), F(x.Certification), F(x.Region), F(x.Taste), F(x.Noise) }
                : []));
        return counts;
    }

    static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string EventJson(SampleEventSpec spec)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
               { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("event_id", spec.EventId);
            json.WriteString("name", spec.Name);
            json.WriteString("venue", spec.Venue);
            json.WriteString("time_zone", SampleEventSpec.TimeZone);
            json.WriteNumber("slot_minutes", SampleEventSpec.SlotMinutes);
            json.WriteNumber("changeover_minutes", SampleEventSpec.ChangeoverMinutes);
            json.WriteStartArray("days");
            foreach (var day in spec.Days)
            {
                json.WriteStartObject();
                json.WriteString("date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                WriteRanges(json, "windows", SampleEventSpec.Windows);
                WriteRanges(json, "breaks", SampleEventSpec.Breaks);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("halls");
            foreach (var hall in spec.Halls) json.WriteStringValue(hall);
            json.WriteEndArray();
            json.WriteStartObject("travel_minutes");
            foreach (var from in spec.Halls)
            {
                json.WriteStartObject(from);
                foreach (var to in spec.Halls) json.WriteNumber(to, spec.Travel(from, to));
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteNumber("min_meetings_per_sme", SampleEventSpec.MinMeetingsPerSme);
            json.WriteNumber("max_open_requests_per_sme", SampleEventSpec.MaxOpenRequestsPerSme);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    static void WriteRanges(Utf8JsonWriter json, string name, IEnumerable<(TimeOnly Start, TimeOnly End)> ranges)
    {
        json.WriteStartArray(name);
        foreach (var (start, end) in ranges)
        {
            json.WriteStartObject();
            json.WriteString("start", start.ToString("HH:mm", CultureInfo.InvariantCulture));
            json.WriteString("end", end.ToString("HH:mm", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    static int WriteCsv(string path, string[] header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder();
        AppendRow(sb, header);
        var count = 0;
        foreach (var row in rows) { AppendRow(sb, row); count++; }
        File.WriteAllText(path, sb.ToString(), Utf8NoBom);
        return count;
    }

    static void AppendRow(StringBuilder sb, string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) sb.Append(',');
            var f = fields[i];
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0) sb.Append('"').Append(f.Replace("\"", "\"\"")).Append('"');
            else sb.Append(f);
        }
        sb.Append('\n');
    }

    static string List(IEnumerable<string> items) => string.Join(";", items);
    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
    static string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
