using Matchmaker.Core.Messages;
namespace Matchmaker.Core.Import;

/// <summary>A file that cannot be read as a spreadsheet at all (size, type, encoding, structure).</summary>
/// <param name="row">The row the problem was found on as the spreadsheet shows it, or 0 for the whole file.</param>
public sealed class SpreadsheetException(string message, int row = 0) : Exception(message)
{
    /// <summary>A refusal from the catalogue, so the organiser reads it in its own language.</summary>
    public SpreadsheetException(Message text, int row = 0) : this(text.In(MessageLanguage.En), row) => Text = text;

    /// <summary>The catalogued message, when there is one (the rarer refusals of odd files keep their English only).</summary>
    public Message? Text { get; }

    /// <summary>The row the problem was found on (header = row 1), or 0 when it concerns the whole file.</summary>
    public int Row { get; } = row;
}
