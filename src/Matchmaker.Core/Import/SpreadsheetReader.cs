using Matchmaker.Core.Messages;
using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace Matchmaker.Core.Import;

/// <summary>Reads a participant spreadsheet (.csv, .xlsx, .xls) into raw text rows; see docs/import-format.md.</summary>
/// <remarks>
/// Problems that make the whole file unreadable throw <see cref="SpreadsheetException"/> with a message meant for the
/// organiser. The header is the first non-empty row; empty rows are skipped but keep their numbers, so every row number
/// is the one the spreadsheet shows. Cell text is returned in Unicode normalisation form C, because files made on a Mac
/// can hold decomposed Hangul that would otherwise not compare equal to the same name typed on Windows.
/// </remarks>
public static class SpreadsheetReader
{
    /// <summary>The largest file accepted by default: 10 MB.</summary>
    public const long DefaultMaxBytes = 10L * 1024 * 1024;

    /// <summary>The most data rows accepted by default (header not counted).</summary>
    public const int DefaultMaxRows = 20_000;

    static readonly string[] CsvExtensions = [".csv", ".tsv", ".txt"];

    /// <summary>Reads the header and data rows of <paramref name="stream"/>; the type comes from <paramref name="fileName"/>.</summary>
    /// <exception cref="SpreadsheetException">The file is too large, empty, of an unsupported type, in no encoding we
    /// can read, malformed, has its data off the first sheet, has more than <paramref name="maxRows"/> data rows, or
    /// (a workbook) exceeds one of <paramref name="limits"/>.</exception>
    public static SpreadsheetTable Read(Stream stream, string fileName, long maxBytes = DefaultMaxBytes,
        int maxRows = DefaultMaxRows, WorkbookLimits? limits = null)
    {
        limits ??= WorkbookLimits.Default;
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var isCsv = CsvExtensions.Contains(extension);
        if (!isCsv && extension is not ".xlsx" and not ".xls")
            throw new SpreadsheetException(new Message("import.file_type", fileName, extension));

        var bytes = ReadBounded(stream, fileName, maxBytes);
        if (bytes.Length == 0) throw new SpreadsheetException(new Message("import.file_empty", fileName));

        // The content decides, not the name: a workbook saved as "참가기업.csv" or an .xlsx renamed to .xls is read
        // as what it is.
        var workbook = WorkbookFormat(bytes);
        var (rows, format) = workbook is not null
            ? (ReadWorkbook(bytes, fileName, workbook, maxRows, limits), workbook)
            : isCsv
                ? CsvReading.Read(bytes, fileName)
                : throw new SpreadsheetException(new Message("import.not_a_workbook", fileName, extension.TrimStart('.').ToUpperInvariant()));
        return Assemble(rows, fileName, maxRows, format);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>, refusing a larger file before any parsing happens.</summary>
    static byte[] ReadBounded(Stream stream, string fileName, long maxBytes)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes) throw TooLarge(fileName, maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(fileName, maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static SpreadsheetException TooLarge(string fileName, long maxBytes) =>
        new($"file '{fileName}' is larger than the limit of {FormatBytes(maxBytes)}; split it into smaller files");

    static string FormatBytes(long bytes) => bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MB"
        : bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";

    static SpreadsheetTable Assemble(List<SpreadsheetRow> rows, string fileName, int maxRows, string format)
    {
        var nonEmpty = rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).ToList();
        if (nonEmpty.Count == 0) throw new SpreadsheetException(new Message("import.file_empty", fileName));
        var header = nonEmpty[0];
        var headerCells = header.Cells.ToList();
        while (headerCells.Count > 0 && string.IsNullOrWhiteSpace(headerCells[^1])) headerCells.RemoveAt(headerCells.Count - 1);
        var data = nonEmpty.Skip(1).ToList();
        if (data.Count == 0)
            throw new SpreadsheetException(new Message("import.no_data_rows", fileName), header.Number);
        if (data.Count > maxRows) throw TooManyRows(fileName, maxRows, data[maxRows].Number);
        return new SpreadsheetTable(header.Number, headerCells, data, format);
    }

    internal static SpreadsheetException TooManyRows(string fileName, int maxRows, int row) =>
        new(new Message("import.more_rows_than", fileName, maxRows), row);

    internal static string Normalize(string text) => text.IsNormalized() ? text : text.Normalize(NormalizationForm.FormC);

    /// <summary>"xlsx" for a zip package, "xls" for an OLE compound file (BIFF8, or an encrypted .xlsx), else null.</summary>
    static string? WorkbookFormat(byte[] bytes) => bytes switch
    {
        [0x50, 0x4B, 0x03, 0x04, ..] => "xlsx",
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => "xls",
        _ => null,
    };

    static List<SpreadsheetRow> ReadWorkbook(byte[] bytes, string fileName, string format, int maxRows,
        WorkbookLimits limits)
    {
        CsvReading.RegisterCodePages(); // .xls stores text in legacy code pages, CP949 for Korean Excel
        // Before the reader sees it: the reader loads every shared string at once and walks each sheet more than once.
        if (format == "xlsx") WorkbookArchive.Check(bytes, fileName, limits);
        try
        {
            using var memory = new MemoryStream(bytes, writable: false);
            // CreateReader also opens password-protected .xlsx files, which are compound files too.
            using var reader = ExcelReaderFactory.CreateReader(memory);
            var firstSheet = reader.Name ?? "";
            var rows = new List<SpreadsheetRow>();
            var number = 0;
            var dataRows = -1; // the header row is not counted
            while (reader.Read())
            {
                if (++number > limits.MaxSheetRows) throw TooManySheetRows(fileName, firstSheet, limits);
                var cells = new string[Math.Min(reader.FieldCount, limits.MaxColumns)];
                for (var i = 0; i < cells.Length; i++) cells[i] = CellText(reader.GetValue(i), fileName, number, i, limits);
                if (cells.All(string.IsNullOrWhiteSpace)) continue;
                // Stop early: a 10 MB workbook can unzip to far more rows than we will ever accept.
                if (++dataRows > maxRows) throw TooManyRows(fileName, maxRows, number);
                rows.Add(new SpreadsheetRow(number, cells));
            }
            if (rows.Count == 0)
            {
                while (reader.NextResult())
                {
                    var sheet = reader.Name ?? "";
                    var sheetRows = 0;
                    while (reader.Read())
                    {
                        if (++sheetRows > limits.MaxSheetRows) throw TooManySheetRows(fileName, sheet, limits);
                        for (var i = 0; i < Math.Min(reader.FieldCount, limits.MaxColumns); i++)
                            if (!string.IsNullOrWhiteSpace(CellText(reader.GetValue(i), fileName, sheetRows, i, limits)))
                                throw new SpreadsheetException(new Message("import.first_sheet_empty", firstSheet, sheet));
                    }
                }
            }
            return rows;
        }
        catch (SpreadsheetException) { throw; }
        catch (ExcelDataReader.Exceptions.InvalidPasswordException)
        {
            throw new SpreadsheetException(new Message("import.password", fileName));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or InvalidOperationException
                                      or ArgumentException or NotSupportedException or System.Xml.XmlException
                                      || e.GetType().Namespace?.StartsWith("ExcelDataReader", StringComparison.Ordinal) == true)
        {
            throw new SpreadsheetException(new Message("import.broken_workbook", fileName, format.ToUpperInvariant(), e.Message));
        }
    }

    static SpreadsheetException TooManySheetRows(string fileName, string sheet, WorkbookLimits limits) =>
        new($"file '{fileName}' is refused: sheet '{sheet}' has more than " +
            $"{limits.MaxSheetRows.ToString("N0", CultureInfo.InvariantCulture)} rows counting empty ones, the limit " +
            "for a sheet; delete the empty rows below the data (or copy the data to a new sheet) and save again");

    /// <summary>The text of one cell, refused when longer than the limit (checked before normalising it, which reads it all).</summary>
    static string CellText(object? value, string fileName, int row, int column, WorkbookLimits limits)
    {
        if (value is string s && s.Length > limits.MaxCellLength)
            throw new SpreadsheetException(
                $"file '{fileName}': cell {ColumnLetters(column)}{row.ToString(CultureInfo.InvariantCulture)} holds " +
                $"{s.Length.ToString("N0", CultureInfo.InvariantCulture)} characters, more than the limit of " +
                $"{limits.MaxCellLength.ToString("N0", CultureInfo.InvariantCulture)} for a cell", row);
        return CellText(value);
    }

    /// <summary>A, B, ..., Z, AA, ... for a 0-based column index, as Excel names columns.</summary>
    internal static string ColumnLetters(int column)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26) letters = (char)('A' + (n - 1) % 26) + letters;
        return letters;
    }

    static string CellText(object? value) => value switch
    {
        null => "",
        string s => Normalize(s),
        // Whole numbers print without ".0" or exponent so 1234567890 stays a business number and 14 stays a cap.
        double d when Math.Abs(d) < 1e15 && d == Math.Floor(d) => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => t.TimeOfDay == TimeSpan.Zero
            ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Normalize(value.ToString() ?? ""),
    };
}
