namespace Matchmaker.Core.Import;

/// <summary>A file that cannot be read as a spreadsheet at all (size, type, encoding, structure).</summary>
/// <param name="row">The row the problem was found on as the spreadsheet shows it, or 0 for the whole file.</param>
public sealed class SpreadsheetException(string message, int row = 0) : Exception(message)
{
    /// <summary>The row the problem was found on (header = row 1), or 0 when it concerns the whole file.</summary>
    public int Row { get; } = row;
}
