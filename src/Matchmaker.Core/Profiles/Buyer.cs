namespace Matchmaker.Core.Profiles;

/// <summary>What kind of organisation a buyer is (기업유형).</summary>
public enum BuyerKind { LargeFirm, MidSize, PublicEnterprise, PublicInstitution, Hospital, University, ResearchInstitute }

/// <summary>A buying organisation (POSCO, KHNP, a shipyard, a hospital) and how it takes part in one event.</summary>
/// <param name="BuyerId">External id from the organiser's spreadsheet, stable across events.</param>
/// <param name="MeetingCap">Most meetings the buyer takes over the whole event.</param>
/// <param name="Tables">Purchasing staff present at once: meetings the buyer can hold in one slot.</param>
/// <param name="UnavailableSlots">Slot codes in which the buyer is away.</param>
public sealed record Buyer(
    long Id,
    string BuyerId,
    string Name,
    string? BusinessNumber,
    BuyerKind? Kind,
    string? Sector,
    IReadOnlyList<string> KsicCodes,
    string? Region,
    int MeetingCap,
    int Tables,
    string? Hall,
    IReadOnlyList<string> UnavailableSlots,
    ContactDetails Contact);

/// <summary>What a buyer wants to source at an event (구매수요).</summary>
public sealed record Demand(
    long Id,
    string DemandId,
    long BuyerId,
    string Title,
    string Description,
    IReadOnlyList<string> KsicCodes,
    IReadOnlyList<string> RequiredCertifications,
    string? BudgetBand,
    string? Quantity,
    IReadOnlyList<string> PreferredRegions);

/// <summary>Who to reach at a participant for one event; only the participant itself and organisers may read it.</summary>
/// <param name="Mobile">E.164 (+821012345678), see <see cref="MobileNumber"/>.</param>
public sealed record ContactDetails(string? Name, string? Email, string? Mobile);
