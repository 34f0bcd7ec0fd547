namespace Matchmaker.Core.Scheduling;

/// <summary>Solver settings (not part of the instance). Defaults suit an expo up to a national day on 2 cores.</summary>
/// <param name="TimeLimit">
/// Wall-clock budget (default 60 s). When it runs out the solver stops improving and returns the valid timetable it has;
/// if the pair-selection flow itself was cut short the upper bound is unknown (null) and the status is "time_limit".
/// </param>
/// <param name="Seed">Seed for the randomised second round of repairs (default 1). Same input and seed ⇒ same output.</param>
/// <param name="EjectionDepth">
/// How many meetings deep an insertion may push others to new slots (default 3). 0 = only free spots: fast but leaves
/// pairs unplaced under availability gaps; larger finds more placements at exponential worst-case cost (capped by
/// <paramref name="EjectionBudget"/>).
/// </param>
/// <param name="EjectionBudget">Search nodes per insertion attempt (default 4000); bounds the cost of one failed attempt.</param>
/// <param name="RepairRounds">Randomised re-insertion rounds for pairs still unplaced after the first pass (default 4).</param>
public sealed record SchedulingOptions(
    TimeSpan? TimeLimit = null,
    int Seed = 1,
    int EjectionDepth = 3,
    int EjectionBudget = 4000,
    int RepairRounds = 4)
{
    /// <summary>The effective time limit (60 s when none is given).</summary>
    public TimeSpan EffectiveTimeLimit => TimeLimit ?? TimeSpan.FromSeconds(60);
}

/// <summary>Repair settings.</summary>
/// <param name="MovePenalty">
/// Objective cost of moving (or dropping) a published meeting that the change did not force (default 1.0, i.e. one
/// requested-pair bonus). 0 lets the repair reshuffle freely; a large value keeps everything unaffected in place.
/// </param>
/// <param name="EjectionDepth">How many unaffected meetings one refill may move (default 1).</param>
public sealed record RepairOptions(double MovePenalty = 1.0, int EjectionDepth = 1);
