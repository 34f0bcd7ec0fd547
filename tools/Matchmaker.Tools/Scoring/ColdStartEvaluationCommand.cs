using System.CommandLine;
using System.Globalization;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Storage;

namespace Matchmaker.Tools.Scoring;

/// <summary>
/// <c>cold-start-eval</c>: does the learned pair model score SMEs without history better than the hand-weighted content
/// score? Trains both ML.NET trainers on earlier events, holds out a later one, and reports NDCG@k per SME (and per
/// buyer) for cold SMEs (content with the default weights, content with weights fitted on the earlier events, learned)
/// and warm ones (the hybrid, learned). Data: the sample events (<c>--data samples</c>: train past-2023 + past-2024,
/// hold out past-2025) or SBIR (<c>--data sbir</c>: train on award years up to 2016, hold out 2017; a firm without an
/// earlier award is cold). The last line printed is the JSON report.
/// </summary>
public static class ColdStartEvaluationCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "samples or sbir (default samples)", DefaultValueFactory = _ => "samples" };
        var samples = new Option<string>("--samples") { Description = "sample events folder (default data/samples)", DefaultValueFactory = _ => "data/samples" };
        var store = new Option<string?>("--store") { Description = "data folder of an existing store instead of the samples" };
        var train = new Option<string>("--train") { Description = "events to train on (default past-2023,past-2024)", DefaultValueFactory = _ => "past-2023,past-2024" };
        var heldOut = new Option<string>("--held-out") { Description = "event to hold out (default past-2025)", DefaultValueFactory = _ => "past-2025" };
        var sbirFolder = new Option<string>("--sbir") { Description = "folder of the SBIR files (default ../shared/data/us-sbir-awards: the shared folder beside the repository)", DefaultValueFactory = _ => "../shared/data/us-sbir-awards" };
        var year = new Option<int>("--held-out-year") { Description = "SBIR award year to hold out (default 2017)", DefaultValueFactory = _ => 2017 };
        var firstYear = new Option<int>("--first-train-year") { Description = "SBIR: first award year to train on (default 2013, the first with an earlier year)", DefaultValueFactory = _ => 2013 };
        var k = new Option<int>("--k") { Description = "cut-off (default 10)", DefaultValueFactory = _ => 10 };
        var candidates = new Option<int>("--candidates") { Description = "weight search candidates for 'fitted' (default 200)", DefaultValueFactory = _ => 200 };
        var seed = new Option<ulong>("--seed") { Description = "seed of the weight search and the learned models (default 2026)", DefaultValueFactory = _ => 2026UL };
        var command = new Command("cold-start-eval", "Learned pair model vs hand-weighted content for SMEs without history, on held-out data; last line JSON")
            { data, samples, store, train, heldOut, sbirFolder, year, firstYear, k, candidates, seed };
        command.SetAction(async (parse, ct) =>
        {
            var options = new RecommenderTrainingOptions().PairModel with { Seed = parse.GetValue(seed) };
            var report = parse.GetValue(data) switch
            {
                "samples" => await SamplesAsync(parse.GetValue(store), parse.GetValue(samples)!, parse.GetValue(train)!, parse.GetValue(heldOut)!, options,
                    parse.GetValue(k), parse.GetValue(candidates), ct),
                "sbir" => Sbir(parse.GetValue(sbirFolder)!, parse.GetValue(firstYear), parse.GetValue(year), options, parse.GetValue(k), parse.GetValue(candidates)),
                var other => throw new ArgumentException($"--data: '{other}' is neither samples nor sbir"),
            };
            foreach (var line in ColdStartEvaluation.Table(report)) Console.WriteLine(line);
            Console.WriteLine(report.ToJson());
            return 0;
        });
        return command;
    }

    static async Task<ColdStartReport> SamplesAsync(string? store, string samples, string train, string heldOut, PairModelOptions options, int k,
        int candidates, CancellationToken ct)
    {
        await using var session = await ScoringCommands.Session.OpenAsync(store, samples, ct);
        var held = await session.Replays.PrepareAsync(heldOut, ScoringWeights.Default, ct) ?? throw new ArgumentException($"--held-out: no event '{heldOut}'");
        var trainIds = train.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var fit = new List<EventReplay>();
        foreach (var eventId in trainIds)
        {
            if (!held.EarlierEvents.Contains(eventId)) throw new ArgumentException($"--train: '{eventId}' is not earlier than '{heldOut}'");
            fit.Add(await session.Replays.PrepareAsync(eventId, ScoringWeights.Default, ct) ?? throw new ArgumentException($"--train: no event '{eventId}'"));
        }
        Console.WriteLine($"{held.EventId}: {held.Features.SmeCount} SMEs × {held.Features.BuyerCount} buyers; trained on {string.Join('+', trainIds)}");
        var fitted = ReplayEvaluation.Search(fit, held, ScoringWeights.Default, k, candidates, options.Seed).Fitted;
        await using var connection = await session.Get<Database>().OpenAsync(ct);
        var (rows, fingerprint) = await PairTrainingData.FromEventsAsync(connection, fit.Select(f => f.EventDbId).ToList(), ScoringWeights.Default, options);
        return ColdStartEvaluation.Run(held, ScoringWeights.Default, fitted, TrainBoth(rows, options, fingerprint), options.Trainer, k);
    }

    static ColdStartReport Sbir(string folder, int firstYear, int heldOutYear, PairModelOptions options, int k, int candidates)
    {
        var (awards, topics) = SbirEvaluation.Read(folder);
        var rows = new List<LabelledPair>();
        var group = 0;
        EventReplay? last = null;
        for (var year = firstYear; year < heldOutYear; year++)
        {
            // Only the year before the held-out one needs the recommender (for the fitted weights' search).
            var (replay, grades) = SbirEvaluation.PrepareAll(awards, topics, year, year == heldOutYear - 1 ? new RecommenderTrainingOptions() : null);
            (var block, group) = PairExamples.TrainingRows(replay.Features, ScoringWeights.Default, grades, group, options.NegativesPerSme,
                options.Seed ^ (ulong)year);
            rows.AddRange(block);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sbir-{year}: {replay.Features.SmeCount} firms × {replay.Features.BuyerCount} units, {replay.Features.DemandCount} earlier topics: {block.Count} training pairs"));
            if (year == heldOutYear - 1) last = replay;
        }
        var (held, _) = SbirEvaluation.PrepareAll(awards, topics, heldOutYear, new RecommenderTrainingOptions());
        Console.WriteLine($"{held.EventId}: {held.Features.SmeCount} firms × {held.Features.BuyerCount} units; trained on {firstYear}–{heldOutYear - 1}");
        var fitted = last is null ? ScoringWeights.Default : ReplayEvaluation.Search([last], held, ScoringWeights.Default, k, candidates, options.Seed).Fitted;
        return ColdStartEvaluation.Run(held, ScoringWeights.Default, fitted, TrainBoth(rows, options, PairTrainingData.Fingerprint("sbir", rows)), options.Trainer, k);
    }

    static Dictionary<PairModelTrainer, LearnedPairModel> TrainBoth(List<LabelledPair> rows, PairModelOptions options, string fingerprint)
    {
        var models = new Dictionary<PairModelTrainer, LearnedPairModel>();
        foreach (var trainer in new[] { PairModelTrainer.Ffm, PairModelTrainer.LightGbm })
        {
            models[trainer] = LearnedPairModel.Train(rows, options, trainer, TimeProvider.System, fingerprint);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{models[trainer].Algorithm}: {rows.Count} pairs ({rows.Count(r => r.Grade > 0)} positive) in {models[trainer].Info.TrainSeconds:0.00} s"));
        }
        return models;
    }
}
