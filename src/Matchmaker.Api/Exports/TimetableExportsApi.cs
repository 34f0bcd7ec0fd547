using Matchmaker.Core.Messages;
using System.ComponentModel;
using System.Globalization;
using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Itineraries;
using Matchmaker.Core.Events;
using Matchmaker.Core.Export;
using Matchmaker.Core.Meetings;
using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api.Exports;

/// <summary>
/// The live timetable as files for organisers: CSV (UTF-8 with BOM, formula-escaped, for Korean Excel) and XLSX, per buyer
/// or per SME, with Korean headers by default and English ones with lang=en.
/// </summary>
/// <remarks>
/// XLSX by buyer has one sheet per buyer of the event (named after the buyer, in name order; a buyer without meetings
/// gets a sheet with the header only); XLSX by SME is one sheet with a row per meeting, like the CSV. Both export the
/// live meetings (what participants are told), cancelled ones only with includeCancelled=true.
/// </remarks>
public static class TimetableExportsApi
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IEndpointRouteBuilder MapTimetableExports(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events/{eventId}/timetable").WithTags("Exports")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(AccessSetup.Organisers);
        group.MapGet("/export.csv", ExportTimetableCsv).WithName(nameof(ExportTimetableCsv))
            .Answers(StatusCodes.Status400BadRequest, "export.by_values")
            .WithSummary("The live timetable as CSV, one row per meeting, sorted by buyer or by SME")
            .WithDescription("UTF-8 with BOM (Korean Excel opens it as UTF-8), RFC 4180, cells that Excel would run as a formula get a leading " +
                "apostrophe. by=buyer (default): buyer, table, time; by=sme: SME, time. Korean headers unless lang=en or Accept-Language: en.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        group.MapGet("/export.xlsx", ExportTimetableXlsx).WithName(nameof(ExportTimetableXlsx))
            .Answers(StatusCodes.Status400BadRequest, "export.by_values")
            .WithSummary("The live timetable as an Excel workbook: a sheet per buyer, or one sheet by SME")
            .WithDescription("by=buyer (default): one sheet per buyer of the event, named after it, rows by table and time. by=sme: one sheet " +
                "with a row per meeting, by SME and time (the same columns as the CSV). Korean headers unless lang=en or Accept-Language: en.")
            .Produces<Stream>(StatusCodes.Status200OK, XlsxContentType);
        return routes;
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportTimetableCsv([AsParameters] ExportQuery query)
    {
        var request = await ReadAsync(query);
        if (request.Problem is not null) return request.Problem;
        var (rows, columns, text) = (request.Meetings!, Columns(request.BySme, text: request.Text!), request.Text!);
        var body = CsvWriter.ToBytes(new[] { columns.Select(c => (string?)c.Header).ToList() }
            .Concat(Sorted(rows, request.BySme).Select(m => columns.Select(c => Format(c.Value(m, text))).ToList())));
        return TypedResults.File(body, "text/csv; charset=utf-8", $"{query.EventId}-timetable-by-{(request.BySme ? "sme" : "buyer")}.csv");
    }

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportTimetableXlsx([AsParameters] ExportQuery query)
    {
        var request = await ReadAsync(query);
        if (request.Problem is not null) return request.Problem;
        var text = request.Text!;
        List<XlsxSheet> sheets;
        if (request.BySme)
        {
            var columns = Columns(bySme: true, text);
            sheets = [Sheet(MessageCatalog.Text("export.sheet_meetings", text.Lang == "en" ? MessageLanguage.En : MessageLanguage.Ko), columns, Sorted(request.Meetings!, bySme: true), text)];
        }
        else
        {
            // The buyer is the sheet: its own columns leave the buyer out.
            var columns = Columns(bySme: false, text).Skip(3).ToList();
            var byBuyer = request.Meetings!.ToLookup(m => m.BuyerId);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            sheets = request.Buyers!.Select(b => Sheet(SheetName(b.Name, names), columns, Sorted(byBuyer[b.Id].ToList(), bySme: false), text)).ToList();
            if (sheets.Count == 0) sheets.Add(Sheet(MessageCatalog.Text("export.sheet_meetings", text.Lang == "en" ? MessageLanguage.En : MessageLanguage.Ko), columns, [], text));
        }
        return TypedResults.File(XlsxExport.ToBytes(sheets), XlsxContentType, $"{query.EventId}-timetable-by-{(request.BySme ? "sme" : "buyer")}.xlsx");
    }

    sealed record ExportRequest(ProblemHttpResult? Problem, bool BySme = false, ItineraryText? Text = null,
        IReadOnlyList<LiveMeetingRow>? Meetings = null, IReadOnlyList<(long Id, string Name)>? Buyers = null);

    /// <summary>What both exports are asked: the event, the order, the language and whether cancelled meetings are in.</summary>
    sealed record ExportQuery(string EventId, HttpContext Http, EventStore Events, Database Database, CancellationToken CancellationToken,
        [property: FromQuery(Name = "by"), Description("buyer (default) or sme")] string? By = null,
        [property: FromQuery(Name = "lang"), Description("ko (default) or en")] string? Lang = null,
        [property: FromQuery(Name = "includeCancelled"), Description("Also export cancelled meetings")] bool IncludeCancelled = false);

    static async Task<ExportRequest> ReadAsync(ExportQuery query)
    {
        var (eventId, http, events, database, cancellationToken, by, lang, includeCancelled) = query;
        if (by is not (null or "buyer" or "sme")) return new(Problems.BadRequest(new Message("export.by_values"), "by"));
        if (!Languages.TryResolve(http.Request, lang, out var language)) return new(Languages.Unknown());
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return new(Problems.EventNotFound(eventId));
        await using var connection = await database.OpenAsync(cancellationToken);
        var meetings = (await LiveMeetingRows.ReadAsync(connection, eventDbId)).Where(m => includeCancelled || !m.Cancelled).ToList();
        var buyers = (await connection.QueryAsync<(long Id, string Name)>("""
            SELECT buyer_id, name FROM event_buyers WHERE event_id = @eventDbId ORDER BY name, buyer_id
            """, new { eventDbId })).ToList();
        return new(null, by == "sme", ItineraryText.For(language), meetings, buyers);
    }

    sealed record Column(string Header, Func<LiveMeetingRow, ItineraryText, object?> Value);

    /// <summary>The columns of an export; by buyer they start with the buyer's three (the XLSX sheets drop those).</summary>
    static List<Column> Columns(bool bySme, ItineraryText text)
    {
        var language = text.Lang == "en" ? MessageLanguage.En : MessageLanguage.Ko;
        Column C(string column, Func<LiveMeetingRow, ItineraryText, object?> value) => new(MessageCatalog.Text($"export.column.{column}", language), value);
        var buyer = new[]
        {
            C("buyer_id", (m, _) => m.BuyerCode),
            C("buyer", (m, _) => m.BuyerName),
            C("hall", (m, _) => m.Hall),
        };
        var table = C("table", (m, _) => m.Table);
        var when = new[]
        {
            C("slot", (m, _) => m.SlotCode),
            C("date", (m, _) => m.LocalStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            C("start", (m, _) => m.LocalStart.ToString("HH:mm", CultureInfo.InvariantCulture)),
            C("end", (m, _) => m.LocalEnd.ToString("HH:mm", CultureInfo.InvariantCulture)),
        };
        var sme = new[]
        {
            C("business_number", (m, _) => m.BusinessNumber),
            C("sme", (m, _) => m.SmeName),
        };
        var rest = new[]
        {
            C("demand_id", (m, _) => m.DemandCode),
            C("demand", (m, _) => m.DemandTitle),
            C("score", (m, _) => m.Score is { } s ? Math.Round(s, 4) : null),
            C("status", (m, t) => t.Status(m.MeetingStatus)),
            C("meeting_id", (m, _) => m.MeetingId),
        };
        return bySme
            ? [.. sme, .. when, .. buyer, table, .. rest]
            : [.. buyer, table, .. when, .. sme, .. rest];
    }

    static IEnumerable<LiveMeetingRow> Sorted(IReadOnlyList<LiveMeetingRow> meetings, bool bySme) => bySme
        ? meetings.OrderBy(m => m.SmeName, StringComparer.Ordinal).ThenBy(m => m.SmeId).ThenBy(m => m.LocalStart).ThenBy(m => m.MeetingId)
        : meetings.OrderBy(m => m.BuyerName, StringComparer.Ordinal).ThenBy(m => m.BuyerId).ThenBy(m => m.Table).ThenBy(m => m.LocalStart).ThenBy(m => m.MeetingId);

    static XlsxSheet Sheet(string name, IReadOnlyList<Column> columns, IEnumerable<LiveMeetingRow> meetings, ItineraryText text) =>
        new(name, new[] { (IReadOnlyList<object?>)columns.Select(c => (object?)c.Header).ToList() }
            .Concat(meetings.Select(m => (IReadOnlyList<object?>)columns.Select(c => c.Value(m, text)).ToList())).ToList());

    /// <summary>A sheet name Excel accepts (≤ 31 characters, none of : \ / ? * [ ], no edge apostrophe), unique in the workbook.</summary>
    static string SheetName(string name, HashSet<string> taken)
    {
        var clean = new string(name.Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' || char.IsControl(c) ? '_' : c).ToArray())
            .Trim().Trim('\'');
        if (clean.Length == 0) clean = "buyer";
        for (var n = 1; ; n++)
        {
            var suffix = n == 1 ? "" : $" ({n})";
            var candidate = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)].TrimEnd(' ', '\'') : clean) + suffix;
            if (taken.Add(candidate)) return candidate;
        }
    }

    static string? Format(object? value) => value switch
    {
        null => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

}
