namespace Matchmaker.Core.Scheduling;

/// <summary>
/// The timetable optimiser: (1) choose pairs by a max-weight b-matching that ignores slot clashes (its value is the
/// upper bound), (2) give them slots one slot at a time in chronological order by a max-weight matching that favours
/// tight participants, (3) re-insert what did not fit by ejection chains (Kempe-style moves of blocking meetings), then
/// (4) fill freed capacity with the next-best pairs, SMEs below their floor first. Deterministic for an input and seed.
/// </summary>
public static class ScheduleSolver
{
    /// <summary>Solves <paramref name="problem"/>; throws <see cref="ScheduleFormatException"/> if it is inconsistent.</summary>
    public static ScheduleResult Solve(ScheduleProblem problem, SchedulingOptions? options = null, TimeProvider? time = null)
    {
        var c = CompiledProblem.Compile(problem);
        return new SolverRun(c, options ?? new SchedulingOptions(), time ?? TimeProvider.System).Run();
    }

    /// <summary>Checks ids, duplicates, overlaps, ranges and locks; throws <see cref="ScheduleFormatException"/> naming the field.</summary>
    public static void Validate(ScheduleProblem problem) => CompiledProblem.Compile(problem);
}
