using System.IO.Compression;
using System.Text;
using ExcelDataReader;
using Matchmaker.Core.Export;
using MiniExcelLibs;

namespace Matchmaker.Core.Tests.Export;

/// <summary>Workbooks written by <see cref="XlsxExport"/>, read back with both ExcelDataReader and MiniExcel.</summary>
public class XlsxExportTests
{
    // ExcelDataReader asks for code page 1252 even for .xlsx; SpreadsheetReader registers the provider, these tests
    // call ExcelDataReader directly.
    static XlsxExportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    internal static List<(string Name, List<object?[]> Rows)> ReadWithExcelDataReader(byte[] bytes)
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

    internal static List<(string Name, List<object?[]> Rows)> ReadWithMiniExcel(byte[] bytes) =>
        MiniExcel.GetSheetNames(new MemoryStream(bytes)).Select(name =>
            (name, MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: false, sheetName: name)
                .Select(row => ((IDictionary<string, object?>)row).Values.ToArray()).ToList())).ToList();

    static readonly XlsxSheet Mixed = new("중소기업",
    [
        ["기업명", "상담희망건수", "매출", "수출실적"],
        ["㈜부산정밀", 8, 12.5, true],
        ["=SUM(A1:A2)", -3L, 1234567891L, false],
        ["  앞뒤 공백  ", 0m, null, "줄\n바꿈\r\n끝"],
        ["_x0041_ 그대로", "<tag> & \"quote\"", "\u0001제어문자", "😀"],
        [new DateOnly(2026, 5, 20), new DateTime(2026, 5, 20, 10, 30, 0), new TimeOnly(13, 5), double.NaN],
    ]);

    [Fact]
    public void ExcelDataReader_reads_back_Korean_text_numbers_and_booleans()
    {
        var (name, rows) = ReadWithExcelDataReader(XlsxExport.ToBytes(Mixed)).Single();
        name.Should().Be("중소기업");
        rows.Should().HaveCount(6);
        rows[0].Should().Equal("기업명", "상담희망건수", "매출", "수출실적");
        rows[1].Should().Equal("㈜부산정밀", 8d, 12.5d, true);
        rows[2].Should().Equal("=SUM(A1:A2)", -3d, 1234567891d, false);
        rows[3].Should().Equal("  앞뒤 공백  ", 0d, null, "줄\n바꿈\n끝");
        rows[4].Should().Equal("_x0041_ 그대로", "<tag> & \"quote\"", "제어문자", "😀");
        rows[5].Should().Equal("2026-05-20", "2026-05-20T10:30:00", "13:05:00", "NaN");
    }

    [Fact]
    public void MiniExcel_reads_back_the_same_cells()
    {
        var (name, rows) = ReadWithMiniExcel(XlsxExport.ToBytes(Mixed)).Single();
        name.Should().Be("중소기업");
        rows.Should().HaveCount(6);
        rows[0].Should().Equal("기업명", "상담희망건수", "매출", "수출실적");
        rows[1].Should().Equal("㈜부산정밀", 8d, 12.5d, true);
        rows[2].Should().Equal("=SUM(A1:A2)", -3d, 1234567891d, false);
        rows[3].Should().Equal("  앞뒤 공백  ", 0d, null, "줄\n바꿈\n끝");
        rows[4].Should().Equal("_x0041_ 그대로", "<tag> & \"quote\"", "제어문자", "😀");
        rows[5].Should().Equal("2026-05-20", "2026-05-20T10:30:00", "13:05:00", "NaN");
    }

    [Fact]
    public void Writes_several_sheets_in_order_including_an_empty_first_sheet_and_keeps_empty_rows()
    {
        var bytes = XlsxExport.ToBytes(new XlsxSheet("안내", []), new XlsxSheet("data", [["a"], [], ["b", "c"]]));
        var sheets = ReadWithExcelDataReader(bytes);
        sheets.Select(s => s.Name).Should().Equal("안내", "data");
        sheets[0].Rows.Should().BeEmpty();
        sheets[1].Rows.Select(r => r[0]).Should().Equal(new object?[] { "a", null, "b" });
        sheets[1].Rows[2].Should().Equal("b", "c");
        ReadWithMiniExcel(bytes).Select(s => s.Name).Should().Equal("안내", "data");
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+82-51-000-0000")]
    [InlineData("-5")]
    [InlineData("@SUM(A1)")]
    [InlineData("=HYPERLINK(\"http://127.0.0.1/\",\"클릭\")")]
    public void Cells_starting_with_a_formula_character_are_text_never_formulas(string text)
    {
        var bytes = XlsxExport.ToBytes(new XlsxSheet("s", [[text]]));
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var sheet = new StreamReader(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).Open(),
            Encoding.UTF8).ReadToEnd();
        sheet.Should().NotContain("<x:f").And.NotContain("<f>").And.NotContain("<f ");
        sheet.Should().MatchRegex("t=\"(str|s|inlineStr)\"", "the cell's type is text");
        ReadWithExcelDataReader(bytes).Single().Rows.Single().Should().Equal(text);
        ReadWithMiniExcel(bytes).Single().Rows.Single().Should().Equal(text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("[draft]")]
    [InlineData("'quoted'")]
    [InlineData("this sheet name is far too long for excel")]
    public void Sheet_names_Excel_refuses_are_rejected(string name)
    {
        var act = () => XlsxExport.ToBytes(new XlsxSheet(name, []));
        act.Should().Throw<ArgumentException>().WithMessage("*not a valid sheet name*");
    }

    [Fact]
    public void Repeated_sheet_names_and_no_sheets_are_rejected()
    {
        var twice = () => XlsxExport.ToBytes(new XlsxSheet("Data", []), new XlsxSheet("data", []));
        twice.Should().Throw<ArgumentException>().WithMessage("sheet name 'data' is used twice*");
        var none = () => XlsxExport.ToBytes();
        none.Should().Throw<ArgumentException>();
    }
}
