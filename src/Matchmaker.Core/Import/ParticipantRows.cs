namespace Matchmaker.Core.Import;

/// <summary>A validated buyer (구매기업) row; optional cells left empty are null or empty lists.</summary>
/// <param name="Row">The source row as the spreadsheet shows it (header = row 1).</param>
/// <param name="BusinessNumber">Ten digits without hyphens, check digit verified.</param>
/// <param name="ContactMobile">E.164 (+821012345678), see <see cref="Profiles.MobileNumber"/>.</param>
/// <param name="Language">ko or en: the language of the participant's mail.</param>
/// <param name="Kind">large_firm, mid_size, public_enterprise, public_institution, hospital, university or research_institute.</param>
public sealed record BuyerRow(int Row, string BuyerId, string Name, string? BusinessNumber, string? Kind, string? Sector,
    IReadOnlyList<string> KsicCodes, string? Region, int MeetingCap, int Tables, string? Hall,
    IReadOnlyList<string> UnavailableSlots, string? ContactName, string? ContactEmail, string? ContactMobile, string Language,
    bool OptedOut);

/// <summary>A validated procurement demand (구매수요) row of a buyer.</summary>
/// <param name="Row">The source row as the spreadsheet shows it (header = row 1).</param>
public sealed record DemandRow(int Row, string DemandId, string BuyerId, string Title, string? Description,
    IReadOnlyList<string> KsicCodes, IReadOnlyList<string> RequiredCertifications, string? BudgetBand, string? Quantity,
    IReadOnlyList<string> PreferredRegions);

/// <summary>A validated SME (중소기업) row.</summary>
/// <param name="Row">The source row as the spreadsheet shows it (header = row 1).</param>
/// <param name="BusinessNumber">Ten digits without hyphens, check digit verified.</param>
/// <param name="ContactMobile">E.164 (+821012345678), see <see cref="Profiles.MobileNumber"/>.</param>
/// <param name="Language">ko or en: the language of the participant's mail.</param>
public sealed record SmeRow(int Row, string BusinessNumber, string Name, string? Region, string? Sector, int? Employees,
    string? RevenueBand, IReadOnlyList<string> KsicCodes, IReadOnlyList<string> Certifications, bool? ExportRecord,
    string? Description, IReadOnlyList<string> Keywords, int? Trl, int MeetingCap, IReadOnlyList<string> UnavailableSlots,
    string? ContactName, string? ContactEmail, string? ContactMobile, string Language, bool OptedOut);
