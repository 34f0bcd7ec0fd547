namespace Matchmaker.Core.Scheduling;

/// <summary>One change to a published timetable (see <c>docs/schedule-changes.md</c> in this folder).</summary>
public abstract record ScheduleChange;

/// <summary>An SME or a buyer cancels: entirely (<paramref name="Slots"/> null) or for the listed slots.</summary>
public sealed record CancelChange(string? Sme, string? Buyer, IReadOnlyList<string>? Slots = null) : ScheduleChange;

/// <summary>An SME or a buyer did not turn up in <paramref name="Slot"/>: away from it to the end of that day; also
/// means the event has reached that slot (as <see cref="NowChange"/>).</summary>
public sealed record NoShowChange(string? Sme, string? Buyer, string Slot) : ScheduleChange;

/// <summary>The event has reached <paramref name="Slot"/>: earlier slots are history (nothing placed or moved there).</summary>
public sealed record NowChange(string Slot) : ScheduleChange;

/// <summary>A buyer loses a table for the whole event (default: its highest-numbered); higher tables renumber down.</summary>
public sealed record RemoveTableChange(string Buyer, int? Table = null) : ScheduleChange;

/// <summary>A walk-in SME joins with its scored pairs (the pairs' <c>Sme</c> is the new SME's id).</summary>
public sealed record AddSmeChange(SmeDef Sme, IReadOnlyList<PairDef> Pairs) : ScheduleChange;

/// <summary>A request is newly accepted: the pair becomes requested (added with <paramref name="Score"/> if unlisted).</summary>
public sealed record AcceptRequestChange(string Sme, string Buyer, double? Score = null) : ScheduleChange;

/// <summary>A published meeting that had to move (From) and where it went (To).</summary>
public sealed record MovedMeeting(Meeting From, Meeting To, string Reason);

/// <summary>A published meeting that no longer takes place, and why.</summary>
public sealed record CancelledMeeting(Meeting Meeting, string Reason);

/// <summary>What changed between the published and the repaired timetable, and whom to tell.</summary>
public sealed record ScheduleDiff(
    IReadOnlyList<Meeting> Kept,
    IReadOnlyList<MovedMeeting> Moved,
    IReadOnlyList<CancelledMeeting> Cancelled,
    IReadOnlyList<Meeting> Added,
    IReadOnlyList<string> NotifySmes,
    IReadOnlyList<string> NotifyBuyers);

/// <summary>The repaired timetable (objective etc. of the changed problem) and its diff to the published one.</summary>
public sealed record RepairResult(ScheduleResult Schedule, ScheduleDiff Diff, ScheduleProblem ChangedProblem);
