namespace Matchmaker.Core.Import;

/// <summary>Limits and event context for one import; the defaults are the documented limits of docs/import-format.md.</summary>
public sealed record ImportOptions
{
    public static ImportOptions Default { get; } = new();

    /// <summary>Largest file accepted, checked before parsing. Default 10 MB.</summary>
    public long MaxBytes { get; init; } = SpreadsheetReader.DefaultMaxBytes;

    /// <summary>Most data rows accepted. Default 20,000.</summary>
    public int MaxRows { get; init; } = SpreadsheetReader.DefaultMaxRows;

    /// <summary>What an .xlsx may expand to (entries, part sizes, compression ratio, rows, columns, cell length).</summary>
    public WorkbookLimits Workbook { get; init; } = WorkbookLimits.Default;

    /// <summary>
    /// Stop listing errors after this many (one more issue then says so). Every bad row is reported up to here; the
    /// default of 1,000 keeps the report readable when a whole file is wrong, e.g. saved with the wrong columns.
    /// </summary>
    public int MaxErrors { get; init; } = 1000;

    /// <summary>
    /// The buyer ids already in the event, to check demands' buyer_id against; null skips the check (the caller then
    /// checks against the store). Matched case-insensitively and replaced by the spelling in this set.
    /// </summary>
    public IReadOnlySet<string>? KnownBuyerIds { get; init; }

    /// <summary>
    /// The event's slot codes (e.g. D1-03), to check unavailable_slots against; null checks only their shape.
    /// Matched case-insensitively and replaced by the spelling in this set.
    /// </summary>
    public IReadOnlySet<string>? KnownSlotCodes { get; init; }
}
