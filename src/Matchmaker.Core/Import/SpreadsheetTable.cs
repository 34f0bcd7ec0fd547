namespace Matchmaker.Core.Import;

/// <summary>The raw text of one spreadsheet: a header row and data rows, before any validation.</summary>
/// <param name="HeaderRow">The row number of the header as the spreadsheet shows it (normally 1).</param>
/// <param name="Format">How the file was read, for messages and logs: "csv (UTF-8)", "csv (CP949)", "xlsx", "xls".</param>
public sealed record SpreadsheetTable(int HeaderRow, IReadOnlyList<string> Header, IReadOnlyList<SpreadsheetRow> Rows,
    string Format);

/// <summary>One non-empty data row: its number as the spreadsheet shows it (header = row 1) and its cells as text.</summary>
public sealed record SpreadsheetRow(int Number, IReadOnlyList<string> Cells)
{
    /// <summary>The cell at <paramref name="index"/>, or "" when the row is shorter than that.</summary>
    public string this[int index] => index < Cells.Count ? Cells[index] : "";
}
