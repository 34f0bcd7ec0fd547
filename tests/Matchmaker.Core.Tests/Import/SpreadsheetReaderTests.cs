using System.Text;
using Matchmaker.Core.Export;
using Matchmaker.Core.Import;
using static Matchmaker.Core.Tests.Import.ImportFiles;

namespace Matchmaker.Core.Tests.Import;

public class SpreadsheetReaderTests
{
    static SpreadsheetTable Read(byte[] bytes, string fileName = "file.csv", long maxBytes = SpreadsheetReader.DefaultMaxBytes,
        int maxRows = SpreadsheetReader.DefaultMaxRows) =>
        SpreadsheetReader.Read(Stream(bytes), fileName, maxBytes, maxRows);

    static SpreadsheetException Fails(byte[] bytes, string fileName = "file.csv", int maxRows = SpreadsheetReader.DefaultMaxRows)
    {
        var act = () => Read(bytes, fileName, maxRows: maxRows);
        return act.Should().Throw<SpreadsheetException>().Which;
    }

    static string[][] Cells(SpreadsheetTable table) => table.Rows.Select(r => r.Cells.ToArray()).ToArray();

    const string KoreanCsv = "기업명,기업소개\r\n㈜부산정밀,사출금형 및 프레스 금형 설계·제작\r\n";

    [Fact]
    public void CP949_UTF8_and_UTF8_with_BOM_read_to_the_same_text()
    {
        var cp949 = Read(Cp949Bytes(KoreanCsv));
        var utf8 = Read(Utf8(KoreanCsv));
        var bom = Read(Utf8WithBom(KoreanCsv));

        cp949.Header.Should().Equal("기업명", "기업소개");
        Cells(cp949).Should().BeEquivalentTo(new[] { new[] { "㈜부산정밀", "사출금형 및 프레스 금형 설계·제작" } });
        Cells(utf8).Should().BeEquivalentTo(Cells(cp949));
        Cells(bom).Should().BeEquivalentTo(Cells(cp949));
        (cp949.Format, utf8.Format, bom.Format).Should().Be(("csv (CP949)", "csv (UTF-8)", "csv (UTF-8 with BOM)"));
    }

    [Fact]
    public void UTF16_from_Excel_unicode_text_is_read_with_tabs()
    {
        byte[] bytes = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(KoreanCsv.Replace(',', '\t'))];
        Cells(Read(bytes, "file.txt"))[0].Should().Equal("㈜부산정밀", "사출금형 및 프레스 금형 설계·제작");
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData(',')]
    public void The_delimiter_is_taken_from_the_header_line(char delimiter)
    {
        var text = CsvText([["기업명", "지역", "키워드"], ["㈜부산정밀", "부산", "금형, 사출; 프레스"]], delimiter);
        var table = Read(Cp949Bytes(text));
        table.Header.Should().Equal("기업명", "지역", "키워드");
        table.Rows.Single().Cells.Should().Equal("㈜부산정밀", "부산", "금형, 사출; 프레스");
    }

    [Fact]
    public void An_Excel_sep_line_sets_the_delimiter_and_is_not_a_row()
    {
        var table = Read(Utf8("sep=;\r\na;b\r\n1,5;2\r\n"));
        table.HeaderRow.Should().Be(1);
        table.Rows.Single().Should().BeEquivalentTo(new SpreadsheetRow(2, ["1,5", "2"]));
    }

    [Fact]
    public void Row_numbers_match_the_spreadsheet_across_blank_lines_and_multi_line_cells()
    {
        var table = Read(Utf8("name,description\n\"A\",\"line one\nline two\"\n\nB,\"say \"\"hi\"\"\"\n,\nC,x\n"));
        table.Rows.Select(r => (r.Number, r[0], r[1])).Should().Equal(
            (2, "A", "line one\nline two"), (4, "B", "say \"hi\""), (6, "C", "x"));
    }

    [Fact]
    public void A_header_below_blank_rows_keeps_its_row_number()
    {
        var table = Read(Utf8("\n\nname\nA\n"));
        table.HeaderRow.Should().Be(3);
        table.Rows.Single().Number.Should().Be(4);
    }

    [Fact]
    public void An_unclosed_quote_is_rejected_with_its_row()
    {
        var error = Fails(Utf8("name,description\nA,ok\nB,\"never closed\nC,x\n"));
        error.Row.Should().Be(3);
        error.Message.Should().Contain("quoted value that starts on row 3 is never closed");
    }

    [Fact]
    public void Decomposed_Hangul_from_a_Mac_is_normalised()
    {
        var nfd = "부산정밀".Normalize(NormalizationForm.FormD);
        nfd.Should().NotBe("부산정밀");
        Read(Utf8("name\n" + nfd + "\n")).Rows.Single()[0].Should().Be("부산정밀");
    }

    [Fact]
    public void Rare_syllables_of_the_CP949_extension_are_accepted_in_real_words()
    {
        // 똠 is outside KS X 1001 (CP949 8C 63); real text has such syllables only now and then.
        Cells(Read(Cp949Bytes("name\n똠양꿍 식품\n")))[0].Should().Equal("똠양꿍 식품");
    }

    [Fact]
    public void Plain_hanja_in_CP949_is_accepted()
    {
        Cells(Read(Cp949Bytes("name\n大韓精密 (株)\n")))[0].Should().Equal("大韓精密 (株)");
    }

    [Fact]
    public void Hangul_that_happens_to_be_valid_UTF8_in_CP949_is_read_as_CP949_when_other_cells_decide()
    {
        // "표" in CP949 is C7 A5, which is also valid UTF-8 (ǥ); the other cell is CP949 only.
        var table = Read(Cp949Bytes("업종,기업명\n표,부산정밀\n"));
        Cells(table)[0].Should().Equal("표", "부산정밀");
        table.Format.Should().Be("csv (CP949)");
    }

    [Fact]
    public void Mixed_rows_name_both_encodings()
    {
        byte[] bytes = [.. Utf8("name\n부산정밀\n"), .. Cp949Bytes("대한센서\n")];
        var error = Fails(bytes);
        error.Row.Should().Be(3);
        error.Message.Should().StartWith("file is not UTF-8 and not CP949").And.Contain("row 2, column 1 is UTF-8 but row 3, column 1 is CP949");
    }

    [Fact]
    public void Random_binary_is_rejected_as_neither_encoding()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        Fails(bytes).Message.Should().StartWith("file is not UTF-8 and not CP949");
    }

    [Fact]
    public void NUL_bytes_mark_a_binary_file_even_when_the_rest_is_ASCII()
    {
        var error = Fails(Utf8("name,ksic\nabc\0def,1\n"));
        error.Row.Should().Be(2);
        error.Message.Should().StartWith("file is not UTF-8 and not CP949 text (it holds NUL bytes");
    }

    [Fact]
    public void A_workbook_saved_under_a_csv_or_xls_name_is_read_as_a_workbook()
    {
        var workbook = XlsxExport.ToBytes(new XlsxSheet("a", [["name"], ["부산정밀"]]));
        foreach (var name in new[] { "참가기업.csv", "참가기업.xls" })
        {
            var table = Read(workbook, name);
            table.Format.Should().Be("xlsx");
            table.Rows.Single()[0].Should().Be("부산정밀");
        }
    }

    [Fact]
    public void A_truncated_workbook_is_rejected()
    {
        var workbook = XlsxExport.ToBytes(new XlsxSheet("a", [["name"], ["부산정밀"]]));
        Fails(workbook[..(workbook.Length / 2)], "a.xlsx").Message.Should().StartWith("file 'a.xlsx' is not a valid XLSX workbook (");
    }

    [Fact]
    public void Xlsx_reads_the_first_sheet_with_row_numbers_across_empty_rows()
    {
        var bytes = XlsxExport.ToBytes(
            new XlsxSheet("구매기업", [["buyer_id", "meeting_cap", "active"], [], ["B-1", 14, true], ["B-2", 2.5, null]]),
            new XlsxSheet("other", [["ignored"]]));
        var table = Read(bytes, "buyers.xlsx");
        table.Header.Should().Equal("buyer_id", "meeting_cap", "active");
        table.Rows.Select(r => (r.Number, r[0], r[1], r[2])).Should().Equal((3, "B-1", "14", "true"), (4, "B-2", "2.5", ""));
    }

    [Fact]
    public void Xlsx_rows_Excel_leaves_out_still_count()
    {
        // Excel writes no <row> element for an empty row; the numbers must still match what the organiser sees.
        var bytes = XlsxExport.ToBytes(new XlsxSheet("s", [[], ["name"], [], [], ["부산정밀"]]));
        bytes = RewriteSheet(bytes, xml => System.Text.RegularExpressions.Regex.Replace(xml, "<x:row r=\"[134]\">.*?</x:row>", ""));
        var table = Read(bytes, "a.xlsx");
        table.HeaderRow.Should().Be(2);
        table.Rows.Single().Number.Should().Be(5);
    }

    static byte[] RewriteSheet(byte[] workbook, Func<string, string> rewrite)
    {
        var buffer = new MemoryStream();
        buffer.Write(workbook);
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("xl/worksheets/sheet1.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open())) xml = reader.ReadToEnd();
            var changed = rewrite(xml);
            changed.Should().NotBe(xml, "the test must really remove rows");
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            writer.Write(changed);
        }
        return buffer.ToArray();
    }

    [Fact]
    public void An_empty_workbook_is_empty()
    {
        Fails(XlsxExport.ToBytes(new XlsxSheet("Sheet1", []), new XlsxSheet("Sheet2", [[""]])), "a.xlsx").Message
            .Should().Be("file 'a.xlsx' is empty");
    }

    [Fact]
    public void Size_is_checked_before_reading_a_seekable_stream()
    {
        var act = () => SpreadsheetReader.Read(new UnreadableStream(11L * 1024 * 1024), "big.xlsx");
        act.Should().Throw<SpreadsheetException>().WithMessage("file 'big.xlsx' is larger than the limit of 10 MB*");
    }

    sealed class UnreadableStream(long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("read before size check");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
