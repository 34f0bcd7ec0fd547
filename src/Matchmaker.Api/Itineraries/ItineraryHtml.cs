using Matchmaker.Core.Messages;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Matchmaker.Core.Events;
using Matchmaker.Core.Meetings;

namespace Matchmaker.Api.Itineraries;

/// <summary>
/// Printable itineraries and agendas: one self-contained HTML page each, laid out to print on one A4 sheet
/// (an SME has at most one meeting per slot; a buyer's agenda is a slots × tables grid).
/// </summary>
public static class ItineraryHtml
{
    // Hangul stays readable in the source; markup characters are still encoded.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    const string Style = """
        @page { size: A4 portrait; margin: 12mm; }
        * { box-sizing: border-box; }
        body { font-family: "Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans KR", sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 186mm; }
        header h1 { font-size: 14pt; margin: 0 0 1mm; }
        header h2 { font-size: 12pt; margin: 3mm 0 1mm; }
        header p { margin: 0; color: #444; }
        table { width: 100%; border-collapse: collapse; margin-top: 3mm; }
        th, td { border: 0.3mm solid #999; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; }
        th { background: #eee; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        tr.day th { background: #ddd; text-align: left; }
        tr.cancelled td { text-decoration: line-through; color: #888; }
        td.time { white-space: nowrap; width: 22mm; }
        td.free { color: #bbb; }
        small { color: #555; }
        footer { margin-top: 3mm; font-size: 8pt; color: #666; }
        @media print {
          body { font-size: 9pt; max-width: none; }
          table.grid { font-size: 8pt; }
          a { color: inherit; text-decoration: none; }
        }
        """;

    /// <summary>An SME's itinerary: its meetings in time order, grouped by day.</summary>
    public static string Sme(SmeItinerary itinerary, ItineraryText text, DateTimeOffset printedAt)
    {
        var html = Start(itinerary.Event, text, $"{text.ItineraryTitle} – {itinerary.SmeName}");
        html.Append("<h2>").Append(E(itinerary.SmeName)).Append(" <small>").Append(E(text.BusinessNumber)).Append(' ')
            .Append(E(itinerary.BusinessNumber)).Append("</small></h2></header>\n");
        if (itinerary.Meetings.Count == 0) html.Append("<p>").Append(E(text.NoMeetings)).Append("</p>\n");
        else
        {
            // Meetings the organiser placed have no demand; without any, the column would only take room on the page.
            var demands = itinerary.Meetings.Any(m => m.Demand is not null);
            html.Append("<table>\n<thead><tr><th>").Append(E(text.Time)).Append("</th><th>").Append(E(text.Buyer)).Append("</th><th>")
                .Append(E(text.HallHeader)).Append(" / ").Append(E(text.TableHeader)).Append("</th>");
            if (demands) html.Append("<th>").Append(E(text.Demand)).Append("</th>");
            html.Append("<th>").Append(E(text.StatusHeader)).Append("</th></tr></thead>\n<tbody>\n");
            foreach (var day in itinerary.Meetings.GroupBy(m => m.LocalStart.Date))
            {
                html.Append("<tr class=\"day\"><th colspan=\"").Append(demands ? 5 : 4).Append("\">").Append(E(text.Day(day.Key))).Append("</th></tr>\n");
                foreach (var m in day)
                {
                    html.Append(m.Status == MeetingStatus.Cancelled ? "<tr class=\"cancelled\">" : "<tr>")
                        .Append("<td class=\"time\">").Append(E(ItineraryText.Span(m.LocalStart, m.LocalEnd))).Append("</td><td>")
                        .Append(E(m.Buyer.Name)).Append("</td><td>")
                        .Append(E(string.Join(", ", new[] { m.Hall is { Length: > 0 } h ? text.Hall(h) : null, text.Table(m.Table) }.OfType<string>())))
                        .Append("</td>");
                    if (demands) html.Append("<td>").Append(E(m.Demand?.Title ?? "")).Append("</td>");
                    html.Append("<td>").Append(E(text.Status(m.Status))).Append("</td></tr>\n");
                }
            }
            html.Append("</tbody>\n</table>\n");
        }
        return End(html, itinerary.Event, text, printedAt);
    }

    /// <summary>A buyer's agenda: every slot of the event down, its tables across, each live meeting's SME and fit score.</summary>
    public static string Buyer(BuyerAgenda agenda, IReadOnlyList<Slot> slots, ItineraryText text, DateTimeOffset printedAt)
    {
        var html = Start(agenda.Event, text, $"{text.AgendaTitle} – {agenda.Name}");
        html.Append("<h2>").Append(E(agenda.Name));
        if (agenda.Hall is { Length: > 0 } hall) html.Append(" <small>").Append(E(text.Hall(hall))).Append("</small>");
        html.Append("</h2></header>\n");
        var live = agenda.Tables.SelectMany(t => t.Meetings.Where(m => m.Status != MeetingStatus.Cancelled).Select(m => (t.Table, m)))
            .ToDictionary(x => (x.m.Slot, x.Table), x => x.m);
        var tables = Enumerable.Range(1, Math.Max(1, agenda.TableCount)).ToList();
        html.Append("<table class=\"grid\">\n<thead><tr><th>").Append(E(text.Time)).Append("</th>");
        foreach (var table in tables) html.Append("<th>").Append(E(text.Table(table))).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var day in slots.GroupBy(s => s.LocalStart.Date))
        {
            html.Append("<tr class=\"day\"><th colspan=\"").Append(tables.Count + 1).Append("\">").Append(E(text.Day(day.Key))).Append("</th></tr>\n");
            foreach (var slot in day)
            {
                html.Append("<tr><td class=\"time\">").Append(E(ItineraryText.Span(slot.LocalStart, slot.LocalEnd))).Append("</td>");
                foreach (var table in tables)
                {
                    if (!live.TryGetValue((slot.Code, table), out var m)) { html.Append("<td class=\"free\">–</td>"); continue; }
                    html.Append("<td>").Append(E(m.Sme.Name));
                    if (m.Score is { } score) html.Append(" <small>").Append(E(text.Score)).Append(' ').Append(Score(score)).Append("</small>");
                    if (m.Status != MeetingStatus.Scheduled) html.Append(" <small>(").Append(E(text.Status(m.Status))).Append(")</small>");
                    html.Append("</td>");
                }
                html.Append("</tr>\n");
            }
        }
        html.Append("</tbody>\n</table>\n");
        var cancelled = agenda.Tables.SelectMany(t => t.Meetings.Where(m => m.Status == MeetingStatus.Cancelled).Select(m => (t.Table, m)))
            .OrderBy(x => x.m.LocalStart).ToList();
        if (cancelled.Count > 0)
            html.Append("<p><small>").Append(E(text.CancelledMeetings)).Append(": ")
                .Append(E(string.Join("; ", cancelled.Select(x => $"{text.Day(x.m.LocalStart)} {ItineraryText.Span(x.m.LocalStart, x.m.LocalEnd)} {x.m.Sme.Name} ({text.Table(x.Table)})"))))
                .Append("</small></p>\n");
        return End(html, agenda.Event, text, printedAt);
    }

    static StringBuilder Start(ItineraryEvent e, ItineraryText text, string title)
    {
        var html = new StringBuilder(16_384);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(text.Lang).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").Append(E(title)).Append("</title>\n<style>\n")
            .Append(Style).Append("\n</style>\n</head>\n<body>\n<header>\n<h1>").Append(E(e.Name)).Append("</h1>\n<p>").Append(E(e.Venue))
            .Append("</p>\n<p><strong>").Append(E(title)).Append("</strong></p>\n");
        return html;
    }

    static string End(StringBuilder html, ItineraryEvent e, ItineraryText text, DateTimeOffset printedAt)
    {
        var local = TimeZoneInfo.ConvertTime(printedAt, TimeZoneInfo.FindSystemTimeZoneById(e.TimeZone));
        html.Append("<footer>").Append(E(text.Printed)).Append(' ')
            .Append(E(Formats.DateTime(local.DateTime, text.Lang == "en" ? MessageLanguage.En : MessageLanguage.Ko))).Append("</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    static string Score(double score) => score.ToString("0.00", CultureInfo.InvariantCulture);

    static string E(string text) => Encoder.Encode(text);
}
