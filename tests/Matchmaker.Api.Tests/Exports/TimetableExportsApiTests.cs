using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using ExcelDataReader;
using Matchmaker.Api.Tests.Itineraries;
using Matchmaker.Core.Import;
using MiniExcelLibs;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Exports;

[Collection(PublishedExpoCollection.Name)]
public class TimetableExportsApiTests(PublishedExpo expo)
{
    const string E = PublishedExpo.EventId;

    sealed record Live(long Id, string BuyerCode, string BuyerName, string BusinessNumber, string SmeName, string Slot, long TableNo);

    async Task<List<Live>> LiveAsync()
    {
        await using var connection = await expo.OpenAsync();
        return (await connection.QueryAsync<Live>("""
            SELECT m.id AS Id, b.buyer_id AS BuyerCode, eb.name AS BuyerName, s.business_number AS BusinessNumber, es.name AS SmeName,
                   sl.code AS Slot, m.table_no AS TableNo
            FROM meetings m JOIN events e ON e.id = m.event_id JOIN buyers b ON b.id = m.buyer_id JOIN smes s ON s.id = m.sme_id
            JOIN event_buyers eb ON eb.event_id = m.event_id AND eb.buyer_id = m.buyer_id
            JOIN event_smes es ON es.event_id = m.event_id AND es.sme_id = m.sme_id
            JOIN slots sl ON sl.id = m.slot_id
            WHERE e.event_id = @E AND m.status <> 'cancelled'
            """, new { E })).ToList();
    }

    static List<List<string>> ReadSheets(byte[] xlsx, out List<string> names)
    {
        names = [];
        var rows = new List<List<string>>();
        using var reader = ExcelReaderFactory.CreateReader(new MemoryStream(xlsx));
        do
        {
            names.Add(reader.Name);
            while (reader.Read())
                rows.Add([reader.Name, .. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "")]);
        } while (reader.NextResult());
        return rows;
    }

    [Fact]
    public async Task The_CSV_export_by_buyer_has_Korean_headers_and_one_row_per_live_meeting_in_buyer_table_time_order()
    {
        var response = await expo.Organiser.GetAsync($"/api/events/{E}/timetable/export.csv?by=buyer");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF }, "Korean Excel needs the BOM to read UTF-8");

        var table = SpreadsheetReader.Read(new MemoryStream(bytes), "export.csv");
        table.Header.Should().Equal("구매기업ID", "구매기업", "상담홀", "테이블", "슬롯", "날짜", "시작", "종료", "사업자등록번호", "참가기업", "수요ID", "수요명", "적합도", "상태", "상담ID");
        var live = await LiveAsync();
        table.Rows.Should().HaveCount(live.Count);
        var byId = live.ToDictionary(m => m.Id);
        foreach (var row in table.Rows)
        {
            var m = byId[long.Parse(row[14])];
            (row[0], row[1], row[3], row[4], row[8], row[9], row[13]).Should().Be((m.BuyerCode, m.BuyerName, m.TableNo.ToString(), m.Slot, m.BusinessNumber, m.SmeName, "예정"));
        }
        var keys = table.Rows.Select(r => (Buyer: r[1], Table: int.Parse(r[3]), When: r[5] + "T" + r[6])).ToList();
        keys.Should().Equal(keys.OrderBy(k => k.Buyer, StringComparer.Ordinal).ThenBy(k => k.Table).ThenBy(k => k.When, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_CSV_export_by_SME_in_English_has_English_headers_and_rows_by_SME()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/events/{E}/timetable/export.csv?by=sme");
        request.Headers.AcceptLanguage.ParseAdd("en");
        var bytes = await (await expo.Organiser.SendAsync(request)).Content.ReadAsByteArrayAsync();

        var table = SpreadsheetReader.Read(new MemoryStream(bytes), "export.csv");
        table.Header.Take(4).Should().Equal("business_number", "sme", "slot", "date");
        table.Rows.Should().HaveCount((await LiveAsync()).Count);
        table.Rows.Select(r => r[1]).Should().BeInAscendingOrder(StringComparer.Ordinal);
        table.Rows.Select(r => r[table.Header.ToList().IndexOf("status")]).Should().OnlyContain(s => s == "Scheduled");
    }

    [Fact]
    public async Task The_XLSX_export_by_buyer_has_a_sheet_per_buyer_holding_that_buyer_s_meetings()
    {
        var response = await expo.Organiser.GetAsync($"/api/events/{E}/timetable/export.xlsx");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var rows = ReadSheets(bytes, out var sheets);
        var live = await LiveAsync();
        MiniExcel.GetSheetNames(new MemoryStream(bytes)).Should().Equal(sheets, "MiniExcel sees the same sheets, Korean names intact");

        await using var connection = await expo.OpenAsync();
        var buyers = (await connection.QueryAsync<string>(
            "SELECT eb.name FROM event_buyers eb JOIN events e ON e.id = eb.event_id WHERE e.event_id = @E", new { E })).ToList();
        sheets.Should().HaveCount(buyers.Count, "one sheet per buyer of the event");
        foreach (var buyer in live.GroupBy(m => m.BuyerName).Take(10))
        {
            var sheet = buyer.Key.Length <= 31 ? buyer.Key : buyer.Key[..31];
            var sheetRows = rows.Where(r => r[0] == sheet).ToList();
            sheetRows[0].Skip(1).Take(3).Should().Equal("테이블", "슬롯", "날짜");
            sheetRows.Skip(1).Select(r => long.Parse(r[^1])).Should().BeEquivalentTo(buyer.Select(m => m.Id), "sheet '{0}' holds its buyer's meetings", sheet);
            var mini = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().ToList();
            mini.Select(r => Convert.ToInt64(r["상담ID"], System.Globalization.CultureInfo.InvariantCulture))
                .Should().BeEquivalentTo(buyer.Select(m => m.Id), "MiniExcel reads sheet '{0}' alike", sheet);
            mini.Select(r => (string?)r["참가기업"]).Should().BeEquivalentTo(buyer.Select(m => m.SmeName), "with the SMEs' Korean names intact");
        }
    }

    [Fact]
    public async Task The_XLSX_export_by_SME_is_one_sheet_that_reads_back_row_for_row()
    {
        var bytes = await expo.Organiser.GetByteArrayAsync($"/api/events/{E}/timetable/export.xlsx?by=sme&lang=en");
        var table = SpreadsheetReader.Read(new MemoryStream(bytes), "export.xlsx");
        var live = await LiveAsync();

        ReadSheets(bytes, out var sheets);
        sheets.Should().Equal("Meetings");
        table.Header.Should().Contain(["business_number", "sme", "buyer_id", "table", "meeting_id"]);
        var column = table.Header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
        table.Rows.Select(r => long.Parse(r[column["meeting_id"]])).Should().BeEquivalentTo(live.Select(m => m.Id));
        var first = live.Single(m => m.Id == long.Parse(table.Rows[0][column["meeting_id"]]));
        (table.Rows[0][column["business_number"]], table.Rows[0][column["buyer_id"]], table.Rows[0][column["table"]])
            .Should().Be((first.BusinessNumber, first.BuyerCode, first.TableNo.ToString()));
    }

    [Fact]
    public async Task Exports_are_for_organisers_only_and_refuse_an_unknown_grouping()
    {
        foreach (var token in new[] { expo.SmeToken, expo.BuyerToken, expo.AnalystToken })
        {
            using var client = expo.Host.CreateClientWithToken(token);
            (await client.GetAsync($"/api/events/{E}/timetable/export.csv")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
            (await client.GetAsync($"/api/events/{E}/timetable/export.xlsx")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
        var bad = await expo.Organiser.GetAsync($"/api/events/{E}/timetable/export.csv?by=table");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("by");
        (await expo.Organiser.GetAsync("/api/events/no-such-event/timetable/export.xlsx")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_participant_name_starting_with_an_equals_sign_is_exported_as_text_never_as_a_formula()
    {
        const string evil = "=HYPERLINK(\"http://evil.example\",\"클릭\")";
        using var host = new MatchmakerHost();
        using var organiser = host.CreateClient();
        await CreateEventAsync(organiser);
        await ImportAsync(organiser, "busan-test", "buyers", Encoding.UTF8.GetBytes(BuyersCsv));
        await ImportAsync(organiser, "busan-test", "demands", Encoding.UTF8.GetBytes(DemandsCsv));
        var smes = SmesCsv(4).Replace("㈜부산정밀1,", "\"" + evil.Replace("\"", "\"\"") + "\",");
        (await ImportAsync(organiser, "busan-test", "smes", Encoding.UTF8.GetBytes(smes))).GetProperty("state").GetString().Should().Be("succeeded");
        var build = await organiser.PostAsync("/api/events/busan-test/timetable", null);
        var job = await WaitForJobAsync(organiser, (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        (await organiser.PostAsync("/api/events/busan-test/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var csv = await organiser.GetByteArrayAsync("/api/events/busan-test/timetable/export.csv?by=sme");
        var text = Encoding.UTF8.GetString(csv);
        text.Should().Contain("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"클릭\"\")\"", "the cell starts with an apostrophe, so Excel shows text");
        text.Split("\r\n").Should().NotContain(line => line.Contains(",=") || line.StartsWith('='));
        SpreadsheetReader.Read(new MemoryStream(csv), "export.csv").Rows.Select(r => r[1]).Should().Contain(evil, "our importer reads the name back exactly");

        var xlsx = await organiser.GetByteArrayAsync("/api/events/busan-test/timetable/export.xlsx?by=sme");
        using (var zip = new ZipArchive(new MemoryStream(xlsx)))
        using (var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open()))
            (await sheet.ReadToEndAsync()).Should().NotContain("<x:f").And.NotContain("<f>").And.Contain("t=\"str\"", "text cells are strings, never formulas");
        SpreadsheetReader.Read(new MemoryStream(xlsx), "export.xlsx").Rows.Select(r => r[1]).Should().Contain(evil);
        MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Select(r => (string?)((IDictionary<string, object?>)r)["참가기업"])
            .Should().Contain(evil, "MiniExcel reads the same text");
    }
}
