using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using Matchmaker.Core.Export;

namespace Matchmaker.Core.Tests.Export;

public class XlsxWriterTests
{
    // ExcelDataReader asks for code page 1252 even for .xlsx; SpreadsheetReader registers the provider, these tests
    // call ExcelDataReader directly.
    static XlsxWriterTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    static List<(string Name, List<object?[]> Rows)> ReadWithExcelDataReader(byte[] bytes)
    {
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(bytes));
        var sheets = new List<(string, List<object?[]>)>();
        do
        {
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++) row[i] = reader.GetValue(i);
                rows.Add(row);
            }
            sheets.Add((reader.Name, rows));
        } while (reader.NextResult());
        return sheets;
    }

    [Fact]
    public void ExcelDataReader_reads_back_text_numbers_and_booleans()
    {
        var bytes = XlsxWriter.ToBytes(new XlsxSheet("중소기업",
        [
            ["기업명", "상담희망건수", "매출", "수출실적"],
            ["㈜부산정밀", 8, 12.5, true],
            ["=SUM(A1:A2)", -3L, 1234567891L, false],
            ["  앞뒤 공백  ", 0m, null, "줄\n바꿈\r\n끝"],
            ["_x0041_ 그대로", "<tag> & \"quote\"", "\u0001제어문자", "😀"],
            [new DateOnly(2026, 5, 20), new DateTime(2026, 5, 20, 10, 30, 0), new TimeOnly(13, 5), double.NaN],
        ]));

        var (name, rows) = ReadWithExcelDataReader(bytes).Single();
        name.Should().Be("중소기업");
        rows.Should().HaveCount(6);
        rows[0].Should().Equal("기업명", "상담희망건수", "매출", "수출실적");
        rows[1].Should().Equal("㈜부산정밀", 8d, 12.5d, true);
        rows[2].Should().Equal("=SUM(A1:A2)", -3d, 1234567891d, false);
        rows[3].Should().Equal("  앞뒤 공백  ", 0d, null, "줄\n바꿈\r\n끝");
        rows[4].Should().Equal("_x0041_ 그대로", "<tag> & \"quote\"", "제어문자", "😀");
        rows[5].Should().Equal("2026-05-20", "2026-05-20T10:30:00", "13:05:00", "NaN");
    }

    [Fact]
    public void Writes_several_sheets_in_order_including_an_empty_first_sheet()
    {
        var bytes = XlsxWriter.ToBytes(new XlsxSheet("안내", []), new XlsxSheet("data", [["a"], ["b"]]));
        var sheets = ReadWithExcelDataReader(bytes);
        sheets.Select(s => s.Name).Should().Equal("안내", "data");
        sheets[0].Rows.Should().BeEmpty();
        sheets[1].Rows.Select(r => r[0]).Should().Equal("a", "b");
    }

    [Fact]
    public void Text_is_written_as_inline_strings_never_formulas()
    {
        var bytes = XlsxWriter.ToBytes(new XlsxSheet("s", [["=1+1"]]));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open(), Encoding.UTF8).ReadToEnd();
        sheet.Should().Contain("t=\"inlineStr\"").And.Contain("<is><t>=1+1</t></is>").And.NotContain("<f>");
        zip.Entries.Select(e => e.FullName).Should().Contain(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml"]);
    }

    [Fact]
    public void Output_is_deterministic()
    {
        XlsxSheet sheet = new("s", [["부산", 1]]);
        XlsxWriter.ToBytes(sheet).Should().Equal(XlsxWriter.ToBytes(sheet));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("[draft]")]
    [InlineData("this sheet name is far too long for excel")]
    public void Sheet_names_Excel_refuses_are_rejected(string name)
    {
        var act = () => XlsxWriter.ToBytes(new XlsxSheet(name, []));
        act.Should().Throw<ArgumentException>().WithMessage("*not a valid sheet name*");
    }

    [Fact]
    public void Repeated_sheet_names_and_no_sheets_are_rejected()
    {
        var twice = () => XlsxWriter.ToBytes(new XlsxSheet("Data", []), new XlsxSheet("data", []));
        twice.Should().Throw<ArgumentException>().WithMessage("sheet name 'data' is used twice*");
        var none = () => XlsxWriter.ToBytes();
        none.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Column_names_follow_Excel(int index, string name) => XlsxWriter.ColumnName(index).Should().Be(name);
}
