using Matchmaker.Core.Export;
using Matchmaker.Core.Import;
using static Matchmaker.Core.Tests.Import.ImportFiles;

namespace Matchmaker.Core.Tests.Import;

/// <summary>
/// Issue 10 item 5: decompression bombs are refused with a message naming the limit. How fast and in how much memory
/// is measured by bench/imports (a timed unit test would only be flaky), not asserted here.
/// </summary>
public class WorkbookBombTests
{
    static string Refusal(byte[] bytes, WorkbookLimits? limits = null)
    {
        var act = () => SpreadsheetReader.Read(Stream(bytes), "bomb.xlsx", limits: limits);
        return act.Should().Throw<SpreadsheetException>().Which.Message;
    }

    [Fact]
    public void A_sheet_that_expands_to_hundreds_of_MB_of_empty_rows_is_refused_by_the_sheet_part_limit()
    {
        var bomb = WorkbookBombs.EmptyRows(30_000_000); // 300 MB of "<row></row>" in well under 1 MB
        bomb.Length.Should().BeLessThan((int)SpreadsheetReader.DefaultMaxBytes, "the bomb must pass the upload limit");
        Refusal(bomb).Should().Contain("xl/worksheets/sheet1.xml").And.Contain("32 MB").And.Contain("worksheet part");
    }

    [Fact]
    public void A_sheet_whose_archive_understates_its_size_is_inflated_only_as_far_as_it_declares()
    {
        // The directory claims 1 MB (a plausible ratio) for 300 MB. Inflation stops at the declared size, so the
        // reader sees a sheet cut off after 1 MB and refuses it as damaged instead of walking 300 MB.
        var bomb = WorkbookBombs.LyingAboutSize(WorkbookBombs.EmptyRows(30_000_000), "xl/worksheets/sheet1.xml", 1 << 20);
        Refusal(bomb).Should().Contain("not a valid XLSX workbook").And.Contain("position 1048");
    }

    [Fact]
    public void A_part_that_expands_to_less_than_its_archive_says_is_refused_as_damaged()
    {
        var plain = WorkbookBombs.EmptyRows(10);
        var lying = WorkbookBombs.LyingAboutSize(plain, "xl/worksheets/sheet1.xml", 100_000);
        Refusal(lying).Should().Contain("xl/worksheets/sheet1.xml").And.Contain("says 100,000");
    }

    [Fact]
    public void A_single_huge_shared_string_is_refused_by_the_10_MB_shared_strings_limit()
    {
        var bomb = WorkbookBombs.HugeSharedString(100_000_000); // 300 MB of UTF-8 Hangul
        bomb.Length.Should().BeLessThan((int)SpreadsheetReader.DefaultMaxBytes);
        Refusal(bomb).Should().Contain("xl/sharedStrings.xml").And.Contain("10 MB").And.Contain("shared-strings part");
    }

    [Fact]
    public void A_shared_strings_part_just_over_10_MB_is_refused_even_at_an_ordinary_ratio()
    {
        // 11 MB: the size limit speaks before the ratio limit, so the organiser reads the limit that applies.
        Refusal(WorkbookBombs.HugeSharedString(3_700_000)).Should().Contain("10 MB").And.Contain("shared-strings part");
    }

    [Fact]
    public void An_archive_of_many_entries_is_refused_before_they_are_listed()
    {
        var bomb = WorkbookBombs.ManyEntries(5_000);
        Refusal(bomb).Should().Contain("more than 1,000 entries");
    }

    [Fact]
    public void A_part_with_a_compression_ratio_no_spreadsheet_has_is_refused()
    {
        var bomb = WorkbookBombs.HighRatio(5 * 1024 * 1024); // 5 MB of zeros: under every size limit, ~1,000:1
        Refusal(bomb).Should().Contain("xl/media/image1.bin").And.Contain("more than the limit of 100 times");
    }

    [Fact]
    public void A_sheet_of_more_rows_than_the_row_limit_counting_empty_ones_is_refused_with_the_limit()
    {
        // Under every archive limit (numbered rows compress about 20 times), so only the row limit can stop it.
        var bomb = WorkbookBombs.EmptyRows(150_000, numbered: true);
        Refusal(bomb).Should().Contain("sheet 'Buyers'").And.Contain("more than 100,000 rows counting empty ones");
    }

    [Fact]
    public void Rows_Excel_leaves_out_count_towards_the_row_limit()
    {
        // Two <row> elements, the second on Excel's last row: the reader would hand us a million empty rows first.
        Refusal(WorkbookBombs.FarRow(1_048_576)).Should().Contain("more than 100,000 rows counting empty ones");
        SpreadsheetReader.Read(Stream(WorkbookBombs.FarRow(100_000)), "far.xlsx").Rows.Single().Number.Should().Be(100_000);
    }

    [Fact]
    public void A_cell_longer_than_the_cell_limit_is_refused_naming_the_cell()
    {
        var bytes = XlsxExport.ToBytes(new XlsxSheet("s", [["buyer_id", "name"], ["B-1", new string('가', 10_001)]]));
        var act = () => SpreadsheetReader.Read(Stream(bytes), "long.xlsx");
        var refusal = act.Should().Throw<SpreadsheetException>().Which;
        refusal.Message.Should().Contain("cell B2").And.Contain("10,001 characters").And.Contain("limit of 10,000");
        refusal.Row.Should().Be(2);
    }

    [Fact]
    public void A_cell_at_the_cell_limit_is_read()
    {
        var bytes = XlsxExport.ToBytes(new XlsxSheet("s", [["buyer_id", "name"], ["B-1", new string('가', 10_000)]]));
        SpreadsheetReader.Read(Stream(bytes), "long.xlsx").Rows.Single()[1].Should().HaveLength(10_000);
    }

    [Fact]
    public void Columns_beyond_the_column_limit_are_not_read()
    {
        var wide = Enumerable.Range(0, 300).Select(i => (object?)$"c{i}").ToArray();
        var bytes = XlsxExport.ToBytes(new XlsxSheet("s", [wide, wide]));
        var table = SpreadsheetReader.Read(Stream(bytes), "wide.xlsx");
        table.Header.Should().HaveCount(256);
        table.Rows.Single().Cells.Should().HaveCount(256);
    }

    [Fact]
    public void The_largest_allowed_workbook_passes_every_limit_and_imports()
    {
        var bytes = WorkbookBombs.LargestValidSmes();
        bytes.Length.Should().BeLessThan((int)SpreadsheetReader.DefaultMaxBytes);
        var result = ParticipantImport.Read(ParticipantKind.Smes, Stream(bytes), "smes.xlsx");
        result.Errors.Should().BeEmpty();
        result.Smes.Should().HaveCount(20_000);
    }

    [Fact]
    public void A_bomb_in_an_import_comes_back_as_the_import_report_naming_the_limit()
    {
        var result = ParticipantImport.Read(ParticipantKind.Buyers, Stream(WorkbookBombs.HugeSharedString(100_000_000)), "buyers.xlsx");
        result.Errors.Should().ContainSingle().Which.Message.Should().Contain("10 MB").And.Contain("shared-strings part");
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    [InlineData(16383, "XFD")]
    public void Columns_are_named_as_Excel_names_them(int column, string letters) =>
        SpreadsheetReader.ColumnLetters(column).Should().Be(letters);
}
