namespace Matchmaker.Core.Import;

/// <summary>
/// The outcome of one import, all-or-nothing: either every row validated (<see cref="Succeeded"/>, rows of
/// <see cref="Kind"/> filled) or <see cref="Errors"/> lists every problem and no rows are returned.
/// </summary>
/// <param name="Warnings">Things ignored that the organiser may want to know about (unknown columns); never block.</param>
/// <param name="Format">How the file was read, e.g. "csv (CP949)" or "xlsx"; "" when it could not be read.</param>
public sealed record ImportResult(ParticipantKind Kind, IReadOnlyList<BuyerRow> Buyers, IReadOnlyList<DemandRow> Demands,
    IReadOnlyList<SmeRow> Smes, IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings, string Format)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Number of rows imported (0 when the import failed).</summary>
    public int RowCount => Buyers.Count + Demands.Count + Smes.Count;

    internal static ImportResult Failed(ParticipantKind kind, IReadOnlyList<ImportIssue> errors,
        IReadOnlyList<ImportIssue> warnings, string format) =>
        new(kind, [], [], [], errors, warnings, format);
}
