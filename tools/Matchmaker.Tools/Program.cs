using System.CommandLine;
using Matchmaker.Tools.Recommendations;
using Matchmaker.Tools.Samples;
using Matchmaker.Tools.Scheduling;
using Matchmaker.Tools.Scoring;

namespace Matchmaker.Tools;

/// <summary>
/// One command per run: the sample generator, the benchmarks and evaluations, and the standalone scheduler. The
/// product (API and worker) does not use any of them.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Matchmaker tools: benchmarks, evaluations, the standalone scheduler, the sample generator");
        root.Subcommands.Add(GenerateSamplesCommand.Create());
        root.Subcommands.Add(MfBenchCommand.Create());
        root.Subcommands.Add(ScheduleCommand.Create());
        root.Subcommands.Add(RepairCommand.Create());
        root.Subcommands.Add(ScoringCommands.Evaluate());
        root.Subcommands.Add(ScoringCommands.Compare());
        root.Subcommands.Add(ScoringCommands.FitWeights());
        root.Subcommands.Add(ScoringBench.Create());
        root.Subcommands.Add(SbirEvaluation.Create());
        return root.Parse(args).InvokeAsync();
    }
}
