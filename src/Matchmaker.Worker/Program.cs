using System.CommandLine;
using Matchmaker.Worker.Scheduling;

namespace Matchmaker.Worker;

/// <summary>
/// The worker: with no command it runs the background jobs (Quartz) on its own; with a command it runs one tool
/// (benchmarks, the standalone scheduler, the sample generator) and exits.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Matchmaker worker: background jobs, or one of the commands below");
        root.SetAction((_, cancellationToken) => WorkerHost.RunAsync(args, cancellationToken));
        root.Subcommands.Add(Samples.GenerateSamplesCommand.Create());
        root.Subcommands.Add(MfBenchCommand.Create());
        root.Subcommands.Add(ScheduleCommand.Create());
        root.Subcommands.Add(RepairCommand.Create());
        root.Subcommands.Add(Scoring.ScoringCommands.Evaluate());
        root.Subcommands.Add(Scoring.ScoringCommands.Compare());
        root.Subcommands.Add(Scoring.ScoringCommands.FitWeights());
        root.Subcommands.Add(Scoring.ScoringBench.Create());
        root.Subcommands.Add(Scoring.SbirEvaluation.Create());
        root.Subcommands.Add(Scoring.ColdStartEvaluationCommand.Create());
        return root.Parse(args).InvokeAsync();
    }
}
