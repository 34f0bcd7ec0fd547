namespace Matchmaker.Core.Import;

/// <summary>One problem found in an import file.</summary>
/// <param name="Row">The row as the spreadsheet shows it (header = row 1), or 0 for the file as a whole.</param>
/// <param name="Column">The column's English name (e.g. "business_number"), the header as written for an unknown column,
/// or "" when the issue is not about one column.</param>
/// <param name="Message">A sentence for the organiser saying what is wrong and, where it helps, what to do.</param>
public sealed record ImportIssue(int Row, string Column, string Message)
{
    public override string ToString() => (Row, Column) switch
    {
        (0, "") => Message,
        (0, _) => $"{Column}: {Message}",
        (_, "") => $"row {Row}: {Message}",
        _ => $"row {Row}, {Column}: {Message}",
    };
}
