using Matchmaker.Core.Messages;

namespace Matchmaker.Core.Import;

/// <summary>One problem found in an import file.</summary>
/// <param name="Row">The row as the spreadsheet shows it (header = row 1), or 0 for the file as a whole.</param>
/// <param name="Column">The column as the uploaded file names it (e.g. "사업자등록번호" or "business_number"), its
/// English name when the file lacks it, or "" when the issue is not about one column.</param>
/// <param name="Message">The English sentence saying what is wrong and, where it helps, what to do.</param>
public sealed record ImportIssue(int Row, string Column, string Message)
{
    /// <summary>The stable message code (MessageCatalog) clients can act on.</summary>
    public string Code { get; init; } = "import.file_unreadable";

    /// <summary>The same sentence in Korean, naming the column in Korean.</summary>
    public string MessageKo { get; init; } = Message;

    /// <summary>
    /// An issue from the catalogue. <paramref name="englishColumn"/> and <paramref name="koreanColumn"/> fill {0}: the
    /// column as the reader of each language knows it.
    /// </summary>
    public static ImportIssue Of(int row, string column, string code, string englishColumn, string koreanColumn, params object?[] args) =>
        new(row, column, MessageCatalog.Text(code, MessageLanguage.En, [englishColumn, .. args]))
        {
            Code = code,
            MessageKo = MessageCatalog.Text(code, MessageLanguage.Ko, [koreanColumn, .. args]),
        };

    /// <summary>An issue from the catalogue that is not about one column: its arguments fill {0}, {1} … as given.</summary>
    public static ImportIssue OfFile(int row, string code, params object?[] args) =>
        new(row, "", MessageCatalog.Text(code, MessageLanguage.En, args))
        {
            Code = code,
            MessageKo = MessageCatalog.Text(code, MessageLanguage.Ko, args),
        };

    /// <summary>The sentence in <paramref name="language"/>.</summary>
    public string In(MessageLanguage language) => language == MessageLanguage.Ko ? MessageKo : Message;

    public override string ToString() => (Row, Column) switch
    {
        (0, "") => Message,
        (0, _) => $"{Column}: {Message}",
        (_, "") => $"row {Row}: {Message}",
        _ => $"row {Row}, {Column}: {Message}",
    };
}
