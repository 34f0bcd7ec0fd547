namespace Matchmaker.Core.Scheduling;

/// <summary>A solved timetable with its objective, the flow upper bound and the certified gap between them.</summary>
/// <param name="Assignments">Meetings ordered by slot (chronological), then buyer id, then table.</param>
/// <param name="Objective">Σ (weight·score + bonus·requested) − penalty · Σ shortfall below SME floors.</param>
/// <param name="UpperBound">Max-weight b-matching bound ignoring slot clashes; null if the flow was cut by the time limit.</param>
/// <param name="Gap">(UpperBound − Objective) / |UpperBound|; 0 means certified optimal.</param>
/// <param name="Status">"optimal" (objective equals the bound), "feasible", "time_limit", or "requested_missing" (must mode).</param>
/// <param name="RequestedMissing">Must-meet pairs (sme, buyer) the solver could not place (must mode only).</param>
/// <param name="Times">Seconds per phase.</param>
public sealed record ScheduleResult(
    IReadOnlyList<Meeting> Assignments,
    double Objective,
    double? UpperBound,
    double? Gap,
    int Meetings,
    int SmesBelowMin,
    int MinShortfall,
    double ScoreSum,
    int RequestedScheduled,
    int RequestedTotal,
    string Status,
    IReadOnlyList<(string Sme, string Buyer)> RequestedMissing,
    IReadOnlyDictionary<string, double> Times);
