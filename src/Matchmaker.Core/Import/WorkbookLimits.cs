namespace Matchmaker.Core.Import;

/// <summary>
/// Bounds on what an .xlsx may expand to, checked before and while it is read, so that a small upload cannot make the
/// importer inflate gigabytes (a "decompression bomb"). The defaults fit the largest file we accept (20,000 data rows
/// of about 20 columns) several times over; they are listed in README.md and docs/import-format.md.
/// </summary>
public sealed record WorkbookLimits
{
    public static WorkbookLimits Default { get; } = new();

    /// <summary>
    /// Most entries (parts) in the archive. Default 1,000. An .xlsx from Excel has 10 to 30; each entry costs a
    /// central-directory record in memory, so a file of 100,000 empty entries is refused before it is listed.
    /// </summary>
    public int MaxEntries { get; init; } = 1000;

    /// <summary>
    /// Most bytes all parts together may expand to. Default 64 MB. Too small refuses large valid workbooks with many
    /// sheets; too large lets an upload cost that much inflating before it is refused.
    /// </summary>
    public long MaxTotalUncompressedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Most bytes one worksheet part may expand to. Default 32 MB: 20,000 rows of 20 text cells take about 10 MB.
    /// The reader parses a sheet more than once, so this bounds the time a sheet can take.
    /// </summary>
    public long MaxSheetPartBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// Most bytes the shared-strings part may expand to. Default 10 MB. The reader holds every shared string in
    /// memory at once (about twice the part's size), unlike sheet rows, which it streams.
    /// </summary>
    public long MaxSharedStringsBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>Most bytes any other part (styles, workbook, relationships, images...) may expand to. Default 10 MB.</summary>
    public long MaxOtherPartBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>
    /// Highest ratio of expanded to compressed size for a part larger than <see cref="RatioGraceBytes"/>. Default 100.
    /// Spreadsheet XML compresses 5 to 30 times; a part of empty rows or one repeated character compresses 1,000 times.
    /// </summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Parts up to this size are not held to <see cref="MaxCompressionRatio"/> (tiny parts compress oddly). Default 1 MB.</summary>
    public long RatioGraceBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Most rows read from a sheet, counting empty ones. Default 100,000 (five times the data-row limit). Excel
    /// reports a sheet formatted down to row 1,048,576 as that long; the reader stops here instead of walking it.
    /// </summary>
    public int MaxSheetRows { get; init; } = 100_000;

    /// <summary>
    /// Columns read per row. Default 256; cells further right are ignored. Formatting a whole row in Excel makes the
    /// sheet 16,384 columns wide, so refusing wide sheets would refuse ordinary files; our columns number under 20.
    /// </summary>
    public int MaxColumns { get; init; } = 256;

    /// <summary>Longest cell text accepted, in characters. Default 10,000; the longest column (a description) needs far less.</summary>
    public int MaxCellLength { get; init; } = 10_000;
}
