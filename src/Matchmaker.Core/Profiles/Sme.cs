namespace Matchmaker.Core.Profiles;

/// <summary>A small or medium enterprise's technology profile and how it takes part in one event.</summary>
/// <param name="Trl">Technology readiness level 1–9 of its main product, when known.</param>
/// <param name="MeetingCap">Most meetings the SME wants over the event.</param>
public sealed record Sme(
    long Id,
    BusinessNumber BusinessNumber,
    string Name,
    string? Region,
    string? Sector,
    int? Employees,
    string? RevenueBand,
    IReadOnlyList<string> KsicCodes,
    IReadOnlyList<string> Certifications,
    bool? ExportRecord,
    string Description,
    IReadOnlyList<string> Keywords,
    int? Trl,
    int MeetingCap,
    IReadOnlyList<string> UnavailableSlots,
    ContactDetails Contact);
