using System.CommandLine;
using System.Globalization;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;
using Matchmaker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Matchmaker.Tools.Scoring;

/// <summary>
/// Analysts' commands: <c>evaluate</c> (replay past events for a profile beside the baselines), <c>compare</c> (two
/// profiles side by side) and <c>fit-weights</c> (fit on earlier events, report on a later held-out one). They read an
/// existing store (<c>--store</c>) or load the sample events into a temporary one (<c>--samples</c>, the default).
/// </summary>
public static class ScoringCommands
{
    static Option<string?> StoreOption() => new("--store") { Description = "data folder of an existing store (default: load --samples into a temporary store)" };
    static Option<string> SamplesOption() => new("--samples") { Description = "sample events folder (default data/samples)", DefaultValueFactory = _ => "data/samples" };
    static Option<int> KOption() => new("--k") { Description = "cut-off k (default 10)", DefaultValueFactory = _ => 10 };
    static Option<string> EventsOption(string name, string fallback) =>
        new(name) { Description = $"comma-separated event ids (default {fallback})", DefaultValueFactory = _ => fallback };

    public static Command Evaluate()
    {
        var (store, samples, k) = (StoreOption(), SamplesOption(), KOption());
        var events = EventsOption("--events", "past-2023,past-2024,past-2025");
        var profile = new Option<string>("--profile") { Description = "'default' or a JSON file of ScoringWeights", DefaultValueFactory = _ => "default" };
        var command = new Command("evaluate", "Replay past events: NDCG/precision/recall@k per SME and per buyer, coverage, Gini, beside popularity, content-only and CF-only")
            { store, samples, k, events, profile };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await Session.OpenAsync(parse.GetValue(store), parse.GetValue(samples)!, ct);
            var weights = ReadProfile(parse.GetValue(profile)!);
            foreach (var eventId in Split(parse.GetValue(events)!))
            {
                var replay = await session.Replays.PrepareAsync(eventId, weights, ct) ?? throw new ArgumentException($"no event '{eventId}'");
                PrintHeader(replay);
                Print(ReplayEvaluation.Compare(replay, [(parse.GetValue(profile)!, weights)], parse.GetValue(k)));
            }
            return 0;
        });
        return command;
    }

    public static Command Compare()
    {
        var (store, samples, k) = (StoreOption(), SamplesOption(), KOption());
        var events = EventsOption("--events", "past-2024,past-2025");
        var a = new Option<string>("--a") { Description = "profile A: 'default' or a JSON file", DefaultValueFactory = _ => "default" };
        var b = new Option<string>("--b") { Description = "profile B: 'default' or a JSON file", Required = true };
        var command = new Command("compare", "Two weight profiles side by side on past events") { store, samples, k, events, a, b };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await Session.OpenAsync(parse.GetValue(store), parse.GetValue(samples)!, ct);
            var (wa, wb) = (ReadProfile(parse.GetValue(a)!), ReadProfile(parse.GetValue(b)!));
            foreach (var eventId in Split(parse.GetValue(events)!))
            {
                var replay = await session.Replays.PrepareAsync(eventId, wa, ct) ?? throw new ArgumentException($"no event '{eventId}'");
                PrintHeader(replay);
                var results = ReplayEvaluation.Compare(replay, [("A " + parse.GetValue(a), wa), ("B " + parse.GetValue(b), wb)], parse.GetValue(k), baselines: false);
                Print(results);
                var (ma, mb) = (results[0].Metrics, results[1].Metrics);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  B − A: NDCG/SME {mb.NdcgPerSme - ma.NdcgPerSme:+0.0000;-0.0000}  NDCG/buyer {mb.NdcgPerBuyer - ma.NdcgPerBuyer:+0.0000;-0.0000}  Gini {mb.ExposureGini - ma.ExposureGini:+0.000;-0.000}"));
            }
            return 0;
        });
        return command;
    }

    public static Command FitWeights()
    {
        var (store, samples, k) = (StoreOption(), SamplesOption(), KOption());
        var fit = EventsOption("--fit", "past-2023,past-2024");
        var heldOut = new Option<string>("--held-out") { Description = "event to report on (default past-2025)", DefaultValueFactory = _ => "past-2025" };
        var candidates = new Option<int>("--candidates") { Description = "random candidates before refinement (default 300)", DefaultValueFactory = _ => 300 };
        var seed = new Option<ulong>("--seed") { Description = "seed (default 1)", DefaultValueFactory = _ => 1UL };
        var output = new Option<string?>("--out") { Description = "write the fitted ScoringWeights JSON here" };
        var command = new Command("fit-weights", "Fit weights on earlier events and report them on a later, held-out event")
            { store, samples, k, fit, heldOut, candidates, seed, output };
        command.SetAction(async (parse, ct) =>
        {
            await using var session = await Session.OpenAsync(parse.GetValue(store), parse.GetValue(samples)!, ct);
            var held = await session.Replays.PrepareAsync(parse.GetValue(heldOut)!, ScoringWeights.Default, ct) ?? throw new ArgumentException("no held-out event");
            var fitReplays = new List<EventReplay>();
            foreach (var eventId in Split(parse.GetValue(fit)!))
            {
                if (!held.EarlierEvents.Contains(eventId)) throw new ArgumentException($"'{eventId}' is not earlier than the held-out event");
                fitReplays.Add(await session.Replays.PrepareAsync(eventId, ScoringWeights.Default, ct) ?? throw new ArgumentException($"no event '{eventId}'"));
            }
            var started = TimeProvider.System.GetTimestamp();
            var report = ReplayEvaluation.Search(fitReplays, held, ScoringWeights.Default, parse.GetValue(k), parse.GetValue(candidates), parse.GetValue(seed));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fitted on {string.Join('+', report.FitEvents)} in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s: objective {report.FitObjective:0.0000} (default {report.BaseFitObjective:0.0000})"));
            Console.WriteLine($"fitted weights: {report.Fitted.ToJson()}");
            PrintHeader(held);
            Print(report.HeldOut);
            if (parse.GetValue(output) is { } path) await File.WriteAllTextAsync(path, report.Fitted.ToJson(), ct);
            return 0;
        });
        return command;
    }

    static IEnumerable<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static ScoringWeights ReadProfile(string spec)
    {
        var weights = spec == "default" ? ScoringWeights.Default : ScoringWeights.FromJson(File.ReadAllText(spec));
        if (weights.Validate() is [var first, ..]) throw new ArgumentException($"{spec}: {first.Field}: {first.Message}");
        return weights;
    }

    static void PrintHeader(EventReplay replay) =>
        Console.WriteLine($"\n{replay.EventId}: {replay.Features.SmeCount} SMEs × {replay.Features.BuyerCount} buyers, {replay.Positive.Count(p => p)} good outcomes; " +
                          $"history and recommender from [{string.Join(", ", replay.EarlierEvents)}] ({replay.TrainingInteractions} interactions)");

    public static void Print(IEnumerable<RankingResult> results)
    {
        Console.WriteLine("  ranking                 NDCG@k/SME  P@k/SME  R@k/SME  NDCG@k/buyer  P@k/buyer  R@k/buyer  SME cov  buyer cov  Gini");
        foreach (var r in results)
        {
            var m = r.Metrics;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Ranking,-22}  {m.NdcgPerSme,10:0.0000}  {m.PrecisionPerSme,7:0.0000}  {m.RecallPerSme,7:0.0000}  {m.NdcgPerBuyer,12:0.0000}  {m.PrecisionPerBuyer,9:0.0000}  {m.RecallPerBuyer,9:0.0000}  {m.SmeCoverage,7:0.000}  {m.BuyerCoverage,9:0.000}  {m.ExposureGini,4:0.000}"));
        }
    }

    /// <summary>A store with the scoring services: an existing one, or the samples loaded into a temporary folder.</summary>
    internal sealed class Session : IAsyncDisposable
    {
        readonly ServiceProvider _services;
        readonly string? _temporary;

        Session(ServiceProvider services, string? temporary) { _services = services; _temporary = temporary; }

        public ReplayEvaluation Replays => _services.GetRequiredService<ReplayEvaluation>();
        public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

        public static async Task<Session> OpenAsync(string? store, string samples, CancellationToken cancellationToken)
        {
            var temporary = store is null ? Path.Combine(Path.GetTempPath(), "matchmaker-scoring", Guid.NewGuid().ToString("N")) : null;
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Matchmaker:Store:DataFolder"] = store ?? temporary,
            }).Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMatchmakerCore().BuildServiceProvider();
            await services.GetRequiredService<Database>().MigrateAsync(cancellationToken);
            if (temporary is not null)
            {
                var folder = Path.IsPathRooted(samples) ? samples : Path.Combine(RepositoryRoot(), samples);
                var started = TimeProvider.System.GetTimestamp();
                var loaded = await services.GetRequiredService<SampleExpoLoader>().LoadAsync(folder, cancellationToken);
                Console.WriteLine($"loaded {loaded.Count} sample events from {folder} into a temporary store in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s");
            }
            return new Session(services, temporary);
        }

        public static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Matchmaker.sln"))) return dir.FullName;
            return Directory.GetCurrentDirectory();
        }

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_temporary is not null)
                try { Directory.Delete(_temporary, recursive: true); } catch (IOException) { }
        }
    }
}
