using System.CommandLine;
using System.Globalization;
using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Samples;

/// <summary><c>generate-samples --seed 2026 --out data/samples</c>: the sample expo and three past events.</summary>
public static class GenerateSamplesCommand
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives byte-identical files", DefaultValueFactory = _ => 2026 };
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "data/samples" };
        var command = new Command("generate-samples", "Generate the sample expo (busan-2026) and three past events with history")
        {
            seed,
            output,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(seed), ResolveOutput(parseResult.GetValue(output) ?? "data/samples")));
        return command;
    }

    /// <summary>
    /// A relative --out is taken from the repository root (the folder holding Matchmaker.sln): the command may be started
    /// from any folder inside the repository (bench scripts, `dotnet run --project`), and writes to the same place.
    /// </summary>
    static string ResolveOutput(string output)
    {
        if (Path.IsPathRooted(output)) return output;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Matchmaker.sln"))) return Path.Combine(dir.FullName, output);
        return Path.GetFullPath(output);
    }

    static int Run(int seed, string output)
    {
        var ksic = KsicCatalog.Default;
        var set = SampleGenerator.Generate(seed, ksic);
        var errors = SampleValidator.Validate(set, ksic);
        if (errors.Count > 0)
        {
            foreach (var error in errors.Take(50)) Console.Error.WriteLine(error);
            Console.Error.WriteLine($"{errors.Count} problem(s); nothing written.");
            return 1;
        }
        foreach (var ev in set.Events)
        {
            var counts = SampleWriter.Write(ev, Path.Combine(output, ev.Spec.EventId));
            Console.WriteLine($"{ev.Spec.EventId}: " + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
        }
        var hidden = SampleWriter.WriteHidden(set, new HiddenFit(ksic, seed), output);
        Console.WriteLine("ground truth: " + string.Join(", ", hidden.Select(c => $"{c.Key} {c.Value}")));
        foreach (var line in SampleStats.Describe(set, ksic, seed)) Console.WriteLine(line);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: written to {Path.GetFullPath(output)}"));
        return 0;
    }
}
