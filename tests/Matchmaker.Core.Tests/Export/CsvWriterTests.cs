using System.Text;
using Matchmaker.Core.Export;
using Matchmaker.Core.Import;

namespace Matchmaker.Core.Tests.Export;

public class CsvWriterTests
{
    [Fact]
    public void Writes_UTF8_with_BOM_and_CRLF_quoting_only_what_needs_it()
    {
        var bytes = CsvWriter.ToBytes([["기업명", "기업소개"], ["㈜부산정밀", "사출금형, 프레스 \"금형\""], ["줄\n바꿈", null]]);
        bytes[..3].Should().Equal(0xEF, 0xBB, 0xBF);
        Encoding.UTF8.GetString(bytes[3..]).Should().Be(
            "기업명,기업소개\r\n㈜부산정밀,\"사출금형, 프레스 \"\"금형\"\"\"\r\n\"줄\n바꿈\",\r\n");
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+82 10-1234-5678", "'+82 10-1234-5678")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("-5", "-5")]
    [InlineData("+3.5", "+3.5")]
    [InlineData("a=b", "a=b")]
    [InlineData("부산-경남", "부산-경남")]
    [InlineData("'=1+1", "''=1+1")]
    [InlineData("'quoted", "'quoted")]
    public void Cells_Excel_would_run_as_formulas_are_escaped(string value, string written)
    {
        CsvWriter.FormatCell(value).Should().Be(written);
    }

    [Fact]
    public void Export_then_read_gives_the_original_text_back()
    {
        string[][] rows =
        [
            ["name", "description", "phone"],
            ["㈜부산정밀", "사출금형 및 프레스 금형 설계·제작", "+82 51-123-4567"],
            ["=cmd|' /C calc'!A0", "쉼표, \"따옴표\"\r\n그리고 줄바꿈", "-5"],
            ["@mention", " leading space", "\t탭"],
            ["'=already escaped", "'plain apostrophe", "'"],
        ];
        var table = SpreadsheetReader.Read(new MemoryStream(CsvWriter.ToBytes(rows)), "export.csv");
        table.Header.Should().Equal(rows[0]);
        table.Rows.Select(r => r.Cells.ToArray()).Should().BeEquivalentTo(rows[1..], o => o.WithStrictOrdering());
    }
}
