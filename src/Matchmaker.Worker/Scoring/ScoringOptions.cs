namespace Matchmaker.Worker.Scoring;

/// <summary>Settings of scoring (section <c>Matchmaker:Scoring</c>).</summary>
public sealed record ScoringOptions
{
    /// <summary>Quiet time after a change before an event is rescored (default 2 s): an import of demands followed by
    /// one of SMEs, or an analyst switching profiles twice, gives one run, not several.</summary>
    public double DebounceSeconds { get; init; } = 2;
}
